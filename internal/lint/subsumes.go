package lint

// Subsumes reports whether the AllowedOrigin outer admits every origin
// the AllowedOrigin inner admits: "*" subsumes every value,
// "https://*.example.com" subsumes "https://*.app.example.com" and
// "https://a.example.com", and a value subsumes itself. It may answer
// false when outer does admit them all (never the other way round), as
// the unreachable-rule finding does.
func Subsumes(outer, inner string) bool {
	return originPattern(outer).subsumes(originPattern(inner))
}
