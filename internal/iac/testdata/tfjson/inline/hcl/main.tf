variable "domain" {
  default = "example.com"
}

resource "aws_s3_bucket" "legacy" {
  bucket = "legacy"

  versioning {
    enabled = true
  }

  cors_rule {
    allowed_origins = ["https://www.${var.domain}", "http://*.${var.domain}"]
    allowed_methods = ["PUT", "DELETE"]
    allowed_headers = ["Authorization", "authorization"]
    expose_headers  = ["x-amz-request-id"]
    max_age_seconds = -1
  }
}
