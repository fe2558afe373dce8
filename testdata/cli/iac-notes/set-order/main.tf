resource "aws_s3_bucket_cors_configuration" "assets" {
  bucket = "assets"
  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = ["https://app.example.com"]
    expose_headers  = ["ETag", "Content-Length", "x-amz-meta-checksum"]
    max_age_seconds = 3000
  }
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
    max_age_seconds = 3000
  }
}
