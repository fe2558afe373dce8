variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "prefix" {
  type = string
}

variable "partner_origins" {
  type        = list(string)
  description = "Origins of partner sites allowed to read."
}

variable "environments" {
  type = map(object({
    rules = list(object({
      origins = list(string)
      methods = list(string)
    }))
  }))
  default = {
    staging = {
      rules = [
        {
          origins = ["https://staging.example.com"]
          methods = ["GET", "PUT"]
        },
      ]
    }
    prod = {
      rules = [
        {
          origins = ["https://example.com", "http://example.com:80"]
          methods = ["GET"]
        },
        {
          origins = ["https://example.com"]
          methods = ["GET", "HEAD"]
        },
      ]
    }
  }
}
