package main

import "github.com/s3cors/s3cors/internal/sigv"

// The checks serve and proxy both make of their flags, in the words both
// say them: one place to read them, and no second copy of a message to
// drift from the first.

// refuseEmptyOrOperand reports a usage error, and returns ok false, when
// one of names was given an empty value (the first of them as emptyFlag
// finds it: see there why an empty value is refused) or when pos holds
// an argument: serve and proxy take flags only.
func (c *command) refuseEmptyOrOperand(pos []string, names ...string) (code int, ok bool) {
	if empty := c.emptyFlag(names...); empty != "" {
		return c.usageError("--%s is empty: give a value, or leave the flag out", empty), false
	}
	if len(pos) > 0 {
		return c.usageError("unexpected argument %q", pos[0]), false
	}
	return 0, true
}

// checkRegion reports a usage error, and returns ok false, when region
// (--region) is not a name the AWS SDKs would scope a signature to:
// every request signed for it would be refused.
func (c *command) checkRegion(region string) (code int, ok bool) {
	if !sigv.ValidRegion(region) {
		return c.usageError("--region %q is not a region name: letters, digits and hyphens, such as us-east-1, as the AWS SDKs take", region), false
	}
	return 0, true
}
