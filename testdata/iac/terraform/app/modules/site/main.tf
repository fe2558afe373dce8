variable "name" {
  type = string
}

variable "origins" {
  type    = list(string)
  default = ["https://example.com"]
}

variable "max_age" {
  type    = number
  default = 7200
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_cors_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  cors_rule {
    allowed_origins = var.origins
    allowed_methods = ["GET", "HEAD"]
    max_age_seconds = var.max_age
  }
}
