package cli

import (
	"fmt"
	"io"
	"os"

	"gloss/assets"
	"gloss/storage"
)

// CreateDemo writes the embedded demo project to path unless a project is
// already there. The GUI opens it on first start.
func CreateDemo(path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	c, err := assets.DemoChange()
	if err != nil {
		return err
	}
	st, err := storage.Open(path, storage.Options{Create: true})
	if err != nil {
		return err
	}
	if _, err := st.Apply(c); err != nil {
		st.Close()
		os.Remove(path)
		return err
	}
	if err := st.SetName("Gloss demo"); err != nil {
		st.Close()
		return err
	}
	return st.Close()
}

func cmdDemo(e *env, args []string) error {
	fs, db := newFlags(e, "demo")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *db == "" {
		return usagef("--db FILE is required")
	}
	if _, err := os.Stat(*db); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", *db)
	}
	if err := CreateDemo(*db); err != nil {
		return err
	}
	return e.emit(map[string]string{"db": *db}, func(w io.Writer) { fmt.Fprintf(w, "wrote the demo project to %s\n", *db) })
}
