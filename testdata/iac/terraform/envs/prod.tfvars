app_origins = ["https://example.com", "https://www.example.com/"]
max_age     = 172800
