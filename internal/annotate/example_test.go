package annotate_test

import (
	"os"

	"github.com/s3cors/s3cors/internal/annotate"
)

func ExampleWriteGitHub() {
	annotate.WriteGitHub(os.Stdout, []annotate.Finding{{
		RuleID: "origin-trailing-slash", Level: annotate.Warning, File: "main.tf", Line: 14, Column: 23,
		Resource: "aws_s3_bucket_cors_configuration.uploads", CORSRule: 1, Title: "origin-trailing-slash",
		Message: `AllowedOrigin "https://app.example.com/": a browser's Origin never ends with "/"`,
		Fix:     `Write "https://app.example.com".`,
	}})
	// Output:
	// ::warning file=main.tf,line=14,col=23,title=origin-trailing-slash::aws_s3_bucket_cors_configuration.uploads rule 1: AllowedOrigin "https://app.example.com/": a browser's Origin never ends with "/"%0AFix: Write "https://app.example.com".
}
