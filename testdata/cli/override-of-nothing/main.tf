resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "x"
  cors_rule {
    allowed_origins = ["https://a.example.com"]
    allowed_methods = ["GET"]
  }
}
