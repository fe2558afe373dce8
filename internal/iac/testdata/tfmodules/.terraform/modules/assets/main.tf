locals {
  # The rules may come as JSON text or as a list of objects.
  cors_rules = try(jsondecode(var.cors_rule), var.cors_rule)
}

resource "aws_s3_bucket" "this" {
  count  = var.create ? 1 : 0
  bucket = var.bucket
}

resource "aws_s3_bucket_cors_configuration" "this" {
  count = var.create && length(local.cors_rules) > 0 ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  dynamic "cors_rule" {
    for_each = local.cors_rules

    content {
      id              = try(cors_rule.value.id, null)
      allowed_methods = cors_rule.value.allowed_methods
      allowed_origins = cors_rule.value.allowed_origins
      allowed_headers = try(cors_rule.value.allowed_headers, null)
      expose_headers  = try(cors_rule.value.expose_headers, null)
      max_age_seconds = try(cors_rule.value.max_age_seconds, null)
    }
  }
}
