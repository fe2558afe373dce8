package main

import (
	"errors"
	"flag"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// durationFlag defines a flag that takes a duration, such as 1s or 5m.
func (c *command) durationFlag(name string, value time.Duration, usage string) *time.Duration {
	c.flags = append(c.flags, name)
	d := (*durationValue)(&value)
	c.fs.Var(d, name, usage)
	return &value
}

// durationValue is the flag.Value of a durationFlag. Package flag's own
// says only "parse error" of a value it cannot read.
type durationValue time.Duration

func (d *durationValue) String() string { return (*time.Duration)(d).String() }

func (d *durationValue) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("want a duration: a number and its unit, such as 500ms, 30s or 5m")
	}
	*d = durationValue(v)
	return nil
}

// intFlag defines a flag that takes a whole number.
func (c *command) intFlag(name string, value int, usage string) *int {
	c.flags = append(c.flags, name)
	c.fs.Var((*intValue)(&value), name, usage)
	return &value
}

// intValue is the flag.Value of an intFlag. Package flag's own says
// only "parse error" or "value out of range".
type intValue int

func (n *intValue) String() string { return strconv.Itoa(int(*n)) }

func (n *intValue) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("want a whole number, such as 100")
	}
	*n = intValue(v)
	return nil
}

// listFlag is a flag that may be given more than once; the values are
// kept in the order given, nil when it is not given.
func (c *command) listFlag(name, usage string) *[]string {
	c.flags = append(c.flags, name)
	if c.lists == nil {
		c.lists = map[string]bool{}
	}
	c.lists[name] = true
	var values []string
	c.fs.Func(name, usage, func(v string) error { values = append(values, v); return nil })
	return &values
}

// emptyFlag returns the first of names given on the command line with an
// empty value ("--access-key="), or "" when there is none. A value given
// empty is most often a variable a script left unset, not a request for
// the flag's default: taken, "--access-key $KEY --secret-key $SECRET"
// would start an endpoint that checks no signature, and "--addr $ADDR"
// one that listens on every interface. The verbs refuse it instead.
func (c *command) emptyFlag(names ...string) string {
	empty := ""
	c.fs.Visit(func(f *flag.Flag) {
		if empty == "" && f.Value.String() == "" && slices.Contains(names, f.Name) {
			empty = f.Name
		}
	})
	return empty
}

// given reports whether the flag name was given on the command line.
func (c *command) given(name string) bool {
	set := false
	c.fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// sizeFlag defines a flag that takes a size in bytes, such as 1000,
// 64MiB or 5GiB.
func (c *command) sizeFlag(name string, value int64, usage string) *int64 {
	c.flags = append(c.flags, name)
	c.fs.Var((*sizeValue)(&value), name, usage)
	return &value
}

// sizeValue is the flag.Value of a sizeFlag: a whole number of bytes,
// or of KiB, MiB or GiB (the unit in any case, no space). KB, MB and
// GB are refused rather than guessed: the AWS documentation writes "5
// GB" for S3's 5 GiB, others mean 5,000,000,000 bytes.
type sizeValue int64

// sizeUnits are the units a sizeValue takes, largest first, as String
// writes them.
var sizeUnits = []struct {
	name string
	size int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}}

func (n *sizeValue) String() string {
	for _, u := range sizeUnits {
		if *n != 0 && int64(*n)%u.size == 0 {
			return strconv.FormatInt(int64(*n)/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(int64(*n), 10)
}

// Set reads a whole number with an optional binary unit, refusing a
// sign, a negative size and one that overflows int64.
func (n *sizeValue) Set(s string) error {
	digits, unit := s, int64(1)
	for _, u := range sizeUnits {
		if len(s) > len(u.name) && strings.EqualFold(s[len(s)-len(u.name):], u.name) {
			digits, unit = s[:len(s)-len(u.name)], u.size
			break
		}
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || v < 0 || v > math.MaxInt64/unit || digits[0] == '+' {
		return errors.New("want a size: a whole number of bytes, or of KiB, MiB or GiB, such as 1000, 64MiB or 5GiB")
	}
	*n = sizeValue(v * unit)
	return nil
}
