# One module, deployed per environment with its own variable values:
# terraform plan -var-file=staging.tfvars, or -var-file=prod.tfvars.
variable "app_origins" {
  type = list(string)
}

variable "max_age" {
  type    = number
  default = 3000
}

resource "aws_s3_bucket" "assets" {
  bucket_prefix = "assets-"
}

resource "aws_s3_bucket_cors_configuration" "assets" {
  bucket = aws_s3_bucket.assets.id

  cors_rule {
    allowed_origins = var.app_origins
    allowed_methods = ["GET", "HEAD"]
    max_age_seconds = var.max_age
  }
}
