package lint_test

import (
	"fmt"

	"github.com/s3cors/s3cors/internal/lint"
)

func ExampleSubsumes() {
	fmt.Println(lint.Subsumes("*", "https://app.example"))
	fmt.Println(lint.Subsumes("https://*.example.com", "https://*.app.example.com"))
	fmt.Println(lint.Subsumes("https://app.example", "https://*.example"))
	// Output:
	// true
	// true
	// false
}
