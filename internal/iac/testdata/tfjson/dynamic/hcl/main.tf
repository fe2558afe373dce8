variable "rules" {
  type = list(object({
    origins = list(string)
    methods = optional(list(string), ["GET"])
  }))
  default = [
    { origins = ["https://a.example.com"] },
    { origins = ["https://b.example.com"], methods = ["GET", "HEAD", "OPTIONS"] },
  ]
}

variable "enabled" {
  type    = bool
  default = true
}

resource "aws_s3_bucket_cors_configuration" "dyn" {
  for_each = var.enabled ? toset(["one"]) : toset([])
  bucket   = "dyn-${each.key}"

  dynamic "cors_rule" {
    for_each = var.rules
    iterator = rule
    content {
      allowed_origins = rule.value.origins
      allowed_methods = rule.value.methods
    }
  }
}
