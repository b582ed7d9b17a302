package packtest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Source reads the files a test file names — the pack beside it and incident
// files — by paths relative to the test file's folder.
type Source interface {
	// ReadFile reads a file by a slash-separated path relative to the test
	// file's folder. It returns the data and the name to print for the file.
	ReadFile(rel string) (data []byte, name string, err error)
}

// DirSource reads files relative to a folder of the operating system.
func DirSource(dir string) Source { return dirSource(dir) }

type dirSource string

func (d dirSource) ReadFile(rel string) ([]byte, string, error) {
	name := filepath.Join(string(d), filepath.FromSlash(rel))
	data, err := os.ReadFile(name)
	return data, name, err
}

// FSSource reads files relative to the folder dir of fsys. A path that leaves
// fsys, or that fsys lacks, is read from the operating system relative to
// fallback joined with dir, when fallback is not "": the built-in packs are
// embedded, while the example incidents their tests name live in the source
// tree.
func FSSource(fsys fs.FS, dir, fallback string) Source {
	return fsSource{fsys: fsys, dir: dir, fallback: fallback}
}

type fsSource struct {
	fsys          fs.FS
	dir, fallback string
}

func (s fsSource) ReadFile(rel string) ([]byte, string, error) {
	name := path.Join(s.dir, rel)
	if fs.ValidPath(name) {
		data, err := fs.ReadFile(s.fsys, name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) || s.fallback == "" {
			return data, name, err
		}
	}
	if s.fallback == "" {
		return nil, name, fmt.Errorf("%s: the path leaves the file system of the test file", name)
	}
	disk := filepath.Join(s.fallback, filepath.FromSlash(name))
	data, err := os.ReadFile(disk)
	if err != nil && errors.Is(err, fs.ErrNotExist) {
		return nil, disk, fmt.Errorf("%s: %w (the built-in pack tests read the example incidents of the source tree: run from the repository root, or give PATH)", disk, fs.ErrNotExist)
	}
	return data, disk, err
}

// packNamesFor returns the pack files a test file may test, in the order
// they are tried: x_test.yaml → x.yaml, x.yml, x.json.
func packNamesFor(testFile string) []string {
	base := path.Base(filepath.ToSlash(testFile))
	ext := path.Ext(base)
	stem := strings.TrimSuffix(strings.TrimSuffix(base, ext), "_test")
	names := []string{stem + ext}
	for _, e := range []string{".yaml", ".yml", ".json"} {
		if e != ext {
			names = append(names, stem+e)
		}
	}
	return names
}

// IsTestFile reports whether a file name is a pack test file (*_test.yaml or
// *_test.yml).
func IsTestFile(name string) bool {
	ext := path.Ext(name)
	return (ext == ".yaml" || ext == ".yml") && strings.HasSuffix(strings.TrimSuffix(name, ext), "_test")
}
