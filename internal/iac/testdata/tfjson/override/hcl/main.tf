resource "aws_s3_bucket_cors_configuration" "o" {
  bucket = "o"
  cors_rule {
    allowed_origins = ["https://o.example.com"]
    allowed_methods = ["GET"]
  }
}
