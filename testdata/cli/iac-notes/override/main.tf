resource "aws_s3_bucket_cors_configuration" "uploads" {
  bucket = "uploads"
  cors_rule {
    allowed_methods = ["PUT"]
    allowed_origins = ["https://staging.example.com"]
    max_age_seconds = 3000
  }
}
