resource "aws_s3_bucket_cors_configuration" "o" {
  cors_rule {
    allowed_origins = ["https://o.example.com"]
    allowed_methods = ["POST", "OPTIONS"]
  }
}
