package corsrule_test

import (
	"strings"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

// FuzzValidate checks that validation never panics, that Validate reports
// the first of Problems, and that every problem is an S3 error.
func FuzzValidate(f *testing.F) {
	f.Add("https://a.example", "GET PUT", "content-type x-amz-*", "ETag", "id")
	f.Add("**", "get", "a b", "x-amz-meta-*", strings.Repeat("i", 256))
	f.Add("", "", "", "", "")
	f.Add("a\x00", "OPTIONS", "**", "*", "\xff")
	f.Fuzz(func(t *testing.T, origins, methods, headers, expose, id string) {
		r := corsrule.Rule{
			ID:             id,
			AllowedOrigins: strings.Split(origins, " "),
			AllowedMethods: strings.Fields(methods),
			AllowedHeaders: strings.Fields(headers),
			ExposeHeaders:  strings.Fields(expose),
		}
		problems := r.Problems()
		err := r.Validate()
		if (err == nil) != (len(problems) == 0) {
			t.Fatalf("Validate() = %v but Problems() = %v", err, problems)
		}
		if err != nil && err.(*s3err.Error) != problems[0] && err.Error() != problems[0].Error() {
			t.Fatalf("Validate() = %v, Problems()[0] = %v", err, problems[0])
		}
		for _, p := range problems {
			if p.StatusCode != 400 || p.Code == "" || p.Message == "" {
				t.Fatalf("problem is not an S3 error: %+v", p)
			}
		}
	})
}
