package iac_test

import (
	"fmt"

	"github.com/s3cors/s3cors/internal/iac"
)

func ExampleJudge() {
	tf := `
variable "origins" {
  default = ["https://app.example.com/"]
}

resource "aws_s3_bucket_cors_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  cors_rule {
    allowed_origins = var.origins
    allowed_methods = ["GET", "patch"]
    max_age_seconds = 3000
  }
}
`
	r, err := iac.Parse("main.tf", []byte(tf), iac.Options{})
	if err != nil {
		panic(err)
	}
	for _, b := range r.Buckets {
		v := iac.Judge(b)
		for _, p := range v.Problems {
			fmt.Printf("%s: %s rule %d: %s: %s\n", p.Pos, b.Resource, p.Err.Rule, p.Err.Code, p.Err.Message)
		}
	}
	// Output:
	// main.tf:11:31: aws_s3_bucket_cors_configuration.uploads rule 1: InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is patch
}

func ExampleAppendCloudFormationYAML() {
	r, _ := iac.Parse("main.tf", []byte(`
resource "aws_s3_bucket_cors_configuration" "site" {
  bucket = "site"
  cors_rule {
    allowed_origins = ["https://www.example.com"]
    allowed_methods = ["GET"]
    max_age_seconds = 600
  }
}
`), iac.Options{})
	rules, _ := r.Rules("aws_s3_bucket_cors_configuration.site")
	fmt.Print(string(iac.AppendCloudFormationYAML(nil, "SiteBucket", rules)))
	// Output:
	// Resources:
	//   SiteBucket:
	//     Type: AWS::S3::Bucket
	//     Properties:
	//       CorsConfiguration:
	//         CorsRules:
	//           - AllowedMethods:
	//               - "GET"
	//             AllowedOrigins:
	//               - "https://www.example.com"
	//             MaxAge: 600
}
