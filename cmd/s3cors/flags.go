package main

import "time"

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
