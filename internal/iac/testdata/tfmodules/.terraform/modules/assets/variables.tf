variable "create" {
  description = "Whether to create the bucket and its CORS configuration."
  type        = bool
  default     = true
}

variable "bucket" {
  type = string
}

variable "cors_rule" {
  description = "CORS rules: a list of objects, or that list in JSON."
  type        = any
  default     = []
}
