module "site" {
  source  = "./site"
  origins = ["https://site.example.com", "https://site.example.com"]
}
