package evaluate

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/cybernorms/cybernorms/incident"
)

// record is a struct of the incident as CEL sees it when facts are unknown:
// an absent fact reads as an unknown value, yet has() still reports it absent.
type record struct {
	opaque
	fs     []recordField // shared by every record of the same type and place
	fields []recordValue // by field, as fs
}

type recordValue struct {
	val ref.Val
	set bool
}

// field returns the index of the field with the JSON name, or -1.
func (r *record) field(name string) int {
	for i := range r.fs {
		if r.fs[i].name == name {
			return i
		}
	}
	return -1
}

// opaque gives the values of an incident with unknowns the conversions of a
// CEL map that cannot leave CEL: rules read them field by field.
type opaque struct{ what string }

func (o opaque) ConvertToNative(t reflect.Type) (any, error) {
	return nil, fmt.Errorf("%s with unknown facts cannot be converted to %v", o.what, t)
}

func (o opaque) ConvertToType(t ref.Type) ref.Val {
	if t == types.TypeType {
		return types.MapType
	}
	return types.NewErr("type conversion error from %s to %v", o.what, t)
}

func (opaque) Type() ref.Type { return types.MapType }

func (r *record) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(r)) }
func (r *record) Value() any {
	m := make(map[string]ref.Val, len(r.fs))
	for i := range r.fs {
		m[r.fs[i].name] = r.fields[i].val
	}
	return m
}

// Get returns the field's value: an unknown for an unknown fact.
func (r *record) Get(k ref.Val) ref.Val {
	s, ok := k.(types.String)
	if !ok {
		return types.NewErr("unsupported index type %s", k.Type().TypeName())
	}
	if i := r.field(string(s)); i >= 0 {
		return r.fields[i].val
	}
	return types.NewErr("no such field '%s'", s)
}

// IsSet reports whether the field is present in the document.
func (r *record) IsSet(k ref.Val) ref.Val {
	s, ok := k.(types.String)
	if !ok {
		return types.NewErr("unsupported index type %s", k.Type().TypeName())
	}
	i := r.field(string(s))
	return types.Bool(i >= 0 && r.fields[i].set)
}

// extensions is incident.extensions with unknowns: a key a rule reads that
// the document lacks is an unknown fact.
type extensions struct {
	opaque
	values  map[string]ref.Val
	nextID  *int64
	adapter types.Adapter
}

func (e *extensions) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(e)) }
func (e *extensions) Value() any              { return e.values }

func (e *extensions) Get(k ref.Val) ref.Val {
	s, ok := k.(types.String)
	if !ok {
		return types.NewErr("unsupported index type %s", k.Type().TypeName())
	}
	if v, ok := e.values[string(s)]; ok {
		return v
	}
	*e.nextID++
	return types.NewUnknown(*e.nextID, trail([]any{"extensions", string(s)}))
}

func (e *extensions) IsSet(k ref.Val) ref.Val {
	s, ok := k.(types.String)
	if !ok {
		return types.NewErr("unsupported index type %s", k.Type().TypeName())
	}
	_, set := e.values[string(s)]
	return types.Bool(set)
}

// trail builds the attribute trail of a fact below the incident.
func trail(quals []any) *types.AttributeTrail {
	t := types.NewAttributeTrail("incident")
	for _, q := range quals {
		switch q := q.(type) {
		case string:
			t = types.QualifyAttribute[string](t, q)
		case int:
			t = types.QualifyAttribute[int64](t, int64(q))
		}
	}
	return t
}

// unknownIDBase keeps the ids of unknown facts apart from expression ids.
const unknownIDBase = 1 << 40

// toRecord converts an incident to records whose unknown facts are CEL unknowns.
func toRecord(inc *incident.Incident) ref.Val {
	c := &converter{nextID: unknownIDBase, adapter: types.DefaultTypeAdapter, unknownFacts: map[factAt]bool{}}
	inc.EachUnknown(func(f incident.Fact, i int) { c.unknownFacts[factAt{f, i}] = true })
	return c.value(reflect.ValueOf(inc).Elem(), nil, "", 0)
}

// factAt is a fact of one list element (index 0 outside lists).
type factAt struct {
	fact  incident.Fact
	index int
}

type converter struct {
	nextID       int64
	adapter      types.Adapter
	unknownFacts map[factAt]bool // the incident's unknown facts, as the model defines them
}

type jsonField struct {
	name  string
	index int
}

// recordField is a field of a struct at a place in the model: its JSON name,
// its fact path and the fact it is, if it is one.
type recordField struct {
	jsonField
	path   string // "victims[].sector"
	fact   incident.Fact
	isFact bool
}

type placeKey struct {
	t    reflect.Type
	path string
}

var placeCache sync.Map // placeKey → []recordField

// recordFields returns the fields of a struct type found at a fact path,
// computed once per type and path.
func recordFields(t reflect.Type, factPath string) []recordField {
	k := placeKey{t, factPath}
	if f, ok := placeCache.Load(k); ok {
		return f.([]recordField)
	}
	var rfs []recordField
	for _, f := range jsonFields(t) {
		fp := f.name
		if factPath != "" {
			fp = factPath + "." + f.name
		}
		fact, isFact := incident.FactOf(fp)
		rfs = append(rfs, recordField{jsonField: f, path: fp, fact: fact, isFact: isFact})
	}
	placeCache.Store(k, rfs)
	return rfs
}

// nested reports whether converting a value of the type reads its
// qualifiers: a struct, a pointer or a slice, not a time.
func nested(t reflect.Type) bool {
	if t == timeType {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Struct, reflect.Slice:
		return true
	}
	return false
}

var fieldCache sync.Map // reflect.Type → []jsonField

func jsonFields(t reflect.Type) []jsonField {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]jsonField)
	}
	var fs []jsonField
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			fs = append(fs, jsonField{name, i})
		}
	}
	fieldCache.Store(t, fs)
	return fs
}

var timeType = reflect.TypeFor[time.Time]()

func (c *converter) unknown(quals []any) ref.Val {
	c.nextID++
	return types.NewUnknown(c.nextID, trail(quals))
}

func (c *converter) value(v reflect.Value, quals []any, factPath string, index int) ref.Val {
	switch {
	case v.Type() == timeType:
		return types.Timestamp{Time: v.Interface().(time.Time)}
	case v.Kind() == reflect.Pointer:
		return c.value(v.Elem(), quals, factPath, index)
	case v.Kind() == reflect.Struct:
		fs := recordFields(v.Type(), factPath)
		r := &record{opaque: opaque{"an incident"}, fs: fs, fields: make([]recordValue, len(fs))}
		for i, f := range fs {
			fv := v.Field(f.index)
			absent := fv.IsZero()
			switch {
			case f.isFact && c.unknownFacts[factAt{f.fact, index}]:
				r.fields[i].val = c.unknown(append(quals[:len(quals):len(quals)], f.name))
			case absent && fv.Kind() != reflect.Map:
				// A fact whose absence is known (period.end, responded_at):
				// reads as its zero value, as on the Go value.
				r.fields[i].val = c.zero(fv.Type())
			default:
				var q []any // the qualifiers, for the values below this one
				if nested(fv.Type()) {
					q = append(quals[:len(quals):len(quals)], f.name)
				}
				r.fields[i].val = c.value(fv, q, f.path, index)
			}
			r.fields[i].set = !absent
		}
		return r
	case v.Kind() == reflect.Slice:
		elems := make([]ref.Val, v.Len())
		for i := range elems {
			elems[i] = c.value(v.Index(i), append(quals[:len(quals):len(quals)], i), factPath+"[]", i)
		}
		return types.NewRefValList(c.adapter, elems)
	case v.Kind() == reflect.Map:
		vals := make(map[string]ref.Val, v.Len())
		for _, k := range v.MapKeys() {
			vals[k.String()] = c.adapter.NativeToValue(v.MapIndex(k).Interface())
		}
		return &extensions{opaque: opaque{"extensions"}, values: vals, nextID: &c.nextID, adapter: c.adapter}
	case v.Kind() == reflect.String:
		return types.String(v.String())
	case v.Kind() == reflect.Bool:
		return types.Bool(v.Bool())
	}
	return c.adapter.NativeToValue(v.Interface())
}

// zero returns the CEL value of an absent field whose absence is a fact.
func (c *converter) zero(t reflect.Type) ref.Val {
	switch {
	case t == timeType:
		return types.Timestamp{Time: time.Time{}}
	case t.Kind() == reflect.String:
		return types.String("")
	case t.Kind() == reflect.Bool:
		return types.False
	case t.Kind() == reflect.Slice:
		return types.NewRefValList(c.adapter, nil)
	}
	return c.adapter.NativeToValue(reflect.Zero(t).Interface())
}
