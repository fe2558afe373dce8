variable "origins" {
  type    = list(string)
  default = ["https://app.example.com", "https://admin.example.com/"]
}

locals {
  methods = ["GET", "PATCH"]
}

resource "aws_s3_bucket_cors_configuration" "web" {
  bucket = aws_s3_bucket.web.id

  cors_rule {
    id              = "browser"
    allowed_origins = var.origins
    allowed_methods = local.methods
    allowed_headers = ["*"]
    max_age_seconds = 3000
  }

  cors_rule {
    allowed_origins = ["https://${var.origins[0]}", "*"]
    allowed_methods = ["GET", "GET"]
    expose_headers  = [aws_s3_bucket.web.arn]
  }
}
