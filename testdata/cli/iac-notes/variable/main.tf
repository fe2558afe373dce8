variable "app_origin" {
  type    = string
  default = "http://localhost:3000"
}
resource "aws_s3_bucket_cors_configuration" "uploads" {
  bucket = "uploads"
  cors_rule {
    allowed_headers = ["*"]
    allowed_methods = ["PUT"]
    allowed_origins = [var.app_origin]
    expose_headers  = ["ETag", "x-amz-checksum-crc32"]
    max_age_seconds = 3000
  }
}
