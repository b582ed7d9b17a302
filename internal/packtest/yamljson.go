package packtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"math"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var lineRe = regexp.MustCompile(`^line (\d+): (.*)`)

func ioLimit(r io.Reader, n int64) io.Reader { return io.LimitReader(r, n) }

// pairs yields the keys and values of a mapping node.
func pairs(n *yaml.Node) iter.Seq2[*yaml.Node, *yaml.Node] {
	return func(yield func(k, v *yaml.Node) bool) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !yield(n.Content[i], n.Content[i+1]) {
				return
			}
		}
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	return "value"
}

// noAliases returns the first alias node, if any.
func noAliases(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n
	}
	for _, c := range n.Content {
		if a := noAliases(c); a != nil {
			return a
		}
	}
	return nil
}

// toJSON converts a YAML node to JSON, keeping the order of mapping keys so
// that faults are reported in the order of the YAML. Timestamps stay strings.
func toJSON(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, n); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode:
		b.WriteByte('{')
		first := true
		for k, v := range pairs(n) {
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: a key must be a string", k.Line)
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			writeString(b, k.Value)
			b.WriteByte(':')
			if err := writeJSON(b, v); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, c); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			b.WriteString("null")
		case "!!bool":
			v, err := strconv.ParseBool(strings.ToLower(n.Value))
			if err != nil {
				return fmt.Errorf("line %d: %q is not a boolean", n.Line, n.Value)
			}
			b.WriteString(strconv.FormatBool(v))
		case "!!int", "!!float":
			var v any
			if err := n.Decode(&v); err != nil {
				return fmt.Errorf("line %d: %v", n.Line, err)
			}
			if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
				return fmt.Errorf("line %d: %s is not a JSON number", n.Line, n.Value)
			}
			js, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("line %d: %v", n.Line, err)
			}
			b.Write(js)
		default: // strings, timestamps, binary
			writeString(b, n.Value)
		}
	default:
		return fmt.Errorf("line %d: unexpected %s", n.Line, kindName(n))
	}
	return nil
}

func writeString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	b.Write(enc)
}

// lineOf returns the line of the value at a JSON Pointer in a YAML node, or
// of the closest ancestor that exists (a missing field is reported at its
// object).
func lineOf(n *yaml.Node, pointer string) int {
	line := n.Line
	if pointer == "" {
		return line
	}
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for k, v := range pairs(n) {
				if k.Value == tok {
					next = v
					line = k.Line
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}
