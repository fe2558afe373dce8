package main

import (
	"flag"
	"slices"
	"time"
)

func (c *command) durationFlag(name string, value time.Duration, usage string) *time.Duration {
	c.flags = append(c.flags, name)
	return c.fs.Duration(name, value, usage)
}

func (c *command) intFlag(name string, value int, usage string) *int {
	c.flags = append(c.flags, name)
	return c.fs.Int(name, value, usage)
}

// listFlag is a flag that may be given more than once; the values are
// kept in the order given, nil when it is not given.
func (c *command) listFlag(name, usage string) *[]string {
	c.flags = append(c.flags, name)
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
