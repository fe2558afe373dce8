package iac

// LintIDClassified reports whether judge.go says how values not judged
// affect lint finding id.
func LintIDClassified(id string) bool {
	_, absent := absentFindings[id]
	return absent || presentFindings[id] || configFindings[id]
}
