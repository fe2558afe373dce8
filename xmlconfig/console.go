package xmlconfig

import (
	"math"
	"strconv"
	"strings"
)

// The S3 console turns its editor's JSON into a PutBucketCors request with
// the AWS SDK for JavaScript v2: its errors are that SDK's ParamValidator's
// ("There were 2 validation errors: * UnexpectedParameter: Unexpected key
// 'ExposedHeaders' found in params.CORSConfiguration.CORSRules[0]", quoted
// from the console in rails/rails#47366, 2023). For an integer member such
// as MaxAgeSeconds, that SDK takes any number, and a string that is a
// number as JavaScript writes one ("3000", not " 3000" or "+3000"), and
// sends parseInt(String(value), 10): 3000.0 and 3e3 as 3000, 3000.5 as
// 3000 (observed with aws-sdk 2.1693.0). The functions below do the same
// in Go.
//
// UNVERIFIED: that today's console still uses that SDK; no newer capture
// of its errors was found.

// consoleNumber returns the number the SDK takes a MaxAgeSeconds string
// for, and whether it takes it: when String(parseFloat(s)) === s.
func consoleNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && jsString(f) == s
}

// consoleInteger returns the text the SDK sends for an integer member
// holding the number f: parseInt(String(f), 10), written as JavaScript
// writes a number. That is the integer part of f, "0" for -0, the first
// digit of a number written with an exponent (1e21 is sent as 1), and
// "NaN" for the infinities.
func consoleInteger(f float64) string {
	s := jsString(f)
	neg := strings.HasPrefix(s, "-")
	i := 0
	if neg {
		i = 1
	}
	j := i
	for j < len(s) && '0' <= s[j] && s[j] <= '9' {
		j++
	}
	digits := strings.TrimLeft(s[i:j], "0")
	switch {
	case j == i:
		return "NaN"
	case digits == "":
		return "0"
	case neg:
		return "-" + digits
	}
	return digits
}

// jsString returns the number f as JavaScript's String(f) writes it
// (ECMAScript, Number::toString): the shortest digits that read back as
// f, without exponent from 1e-6 up to 1e21.
func jsString(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	// f is 0.digits × 10^n.
	mant, exp, _ := strings.Cut(strconv.FormatFloat(f, 'e', -1, 64), "e")
	digits := strings.Replace(mant, ".", "", 1)
	e, _ := strconv.Atoi(exp)
	n, k := e+1, len(digits)
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	s := sign + digits[:1]
	if k > 1 {
		s += "." + digits[1:]
	}
	if e >= 0 {
		return s + "e+" + strconv.Itoa(e)
	}
	return s + "e" + strconv.Itoa(e)
}
