variable "origins" {
  type = list(string)
}

resource "aws_s3_bucket_cors_configuration" "site" {
  bucket = "site"
  cors_rule {
    allowed_origins = var.origins
    allowed_methods = ["GET"]
    max_age_seconds = 60 * 60
  }
}
