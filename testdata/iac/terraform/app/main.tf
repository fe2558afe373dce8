terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

locals {
  app_origins = ["https://app.example.com", "https://admin.example.com/"]
  upload_headers = {
    content_type = "Content-Type"
    checksum     = "x-amz-checksum-*"
  }
}

resource "aws_s3_bucket" "uploads" {
  bucket = "${var.prefix}-uploads"
}

resource "aws_s3_bucket_cors_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  cors_rule {
    id              = "browser-uploads"
    allowed_origins = local.app_origins
    allowed_methods = ["PUT", "POST", "get"]
    allowed_headers = values(local.upload_headers)
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }

  cors_rule {
    allowed_origins = var.partner_origins
    allowed_methods = ["GET", "GET"]
  }
}

resource "aws_s3_bucket" "legacy" {
  bucket = "${var.prefix}-legacy"

  cors_rule {
    allowed_origins = ["*"]
    allowed_methods = ["GET", "PUT"]
    allowed_headers = ["*"]
    max_age_seconds = 90000
  }
}

resource "aws_s3_bucket_cors_configuration" "per_env" {
  for_each = var.environments

  bucket = "${var.prefix}-${each.key}"

  dynamic "cors_rule" {
    for_each = each.value.rules
    content {
      allowed_origins = cors_rule.value.origins
      allowed_methods = cors_rule.value.methods
      max_age_seconds = lookup(cors_rule.value, "max_age", 3600)
    }
  }
}

module "site" {
  source  = "./modules/site"
  name    = "${var.prefix}-site"
  origins = ["https://www.example.com", "https://*.*.example.com"]
}

module "cdn" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.0"
}
