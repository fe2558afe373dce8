# Bucket CORS set through a registry module, as many configurations set
# it. terraform init installed the module under .terraform/modules, as
# .terraform/modules/modules.json records; the module there is written for
# these tests, in the way such modules take their rules.

module "site" {
  source  = "example-corp/cors-bucket/aws"
  version = "~> 2.3"

  bucket = "site-assets"
  cors_rule = [
    {
      id              = "uploads"
      allowed_methods = ["PUT", "POST"]
      allowed_origins = ["https://app.example.com/"]
      allowed_headers = ["*"]
      expose_headers  = ["ETag"]
      max_age_seconds = 3000
    },
    {
      allowed_methods = ["GET"]
      allowed_origins = ["http://*.example.com"]
    },
  ]
}

module "assets" {
  source  = "example-corp/cors-bucket/aws"
  version = "~> 2.3"

  bucket    = "assets"
  cors_rule = <<-JSON
    [{"allowed_methods": ["GET"], "allowed_origins": ["https://assets.example.com/"]}]
  JSON
}
