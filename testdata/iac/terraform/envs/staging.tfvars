app_origins = ["https://staging.example.com", "http://localhost:3000"]
