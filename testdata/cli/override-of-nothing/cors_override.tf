resource "aws_s3_bucket_cors_configuration" "x" {
  cors_rule {
    allowed_origins = ["*"]
    allowed_methods = ["GET"]
  }
}
