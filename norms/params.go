package norms

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"
)

// parseParam reads a parameter value of a type.
func parseParam(typ, val string) (any, error) {
	switch typ {
	case "duration":
		return ParseDuration(val)
	case "int":
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("expected an integer, got %q", val)
		}
		return n, nil
	case "double":
		f, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return nil, fmt.Errorf("expected a number, got %q", val)
		}
		return f, nil
	case "string":
		return val, nil
	case "bool":
		b, err := strconv.ParseBool(val)
		if err != nil {
			return nil, fmt.Errorf("expected true or false, got %q", val)
		}
		return b, nil
	case "timestamp":
		return parseDate(val)
	}
	return nil, fmt.Errorf("unknown type %q: expected duration, int, double, string, bool or timestamp", typ)
}

var isoDuration = regexp.MustCompile(`^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// ParseDuration reads an ISO 8601 duration in weeks, days, hours, minutes and
// seconds ("P30D", "PT72H", "P2W") or a Go duration ("720h"). Years and months
// are refused: their length varies.
func ParseDuration(s string) (time.Duration, error) {
	if m := isoDuration.FindStringSubmatch(s); m != nil && s != "P" && s != "PT" {
		units := []time.Duration{7 * 24 * time.Hour, 24 * time.Hour, time.Hour, time.Minute, time.Second}
		var d time.Duration
		for i, u := range units {
			if m[i+1] == "" {
				continue
			}
			n, err := strconv.ParseInt(m[i+1], 10, 32)
			if err != nil {
				return 0, fmt.Errorf("duration %q is too large", s)
			}
			d += time.Duration(n) * u
		}
		return d, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("expected an ISO 8601 duration such as \"P30D\" (weeks, days, hours, minutes, seconds) or a Go duration such as \"720h\", got %q", s)
	}
	return d, nil
}

func ioLimit(r io.Reader, n int64) io.Reader { return io.LimitReader(r, n) }
