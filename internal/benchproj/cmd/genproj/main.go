// Command genproj writes a generated benchmark project file, so the CLI and
// the window can be measured on the sizes:
//
//	go run ./internal/benchproj/cmd/genproj -sources 10000 -per 20 /tmp/p10k.gloss
package main

import (
	"flag"
	"fmt"
	"os"

	"gloss/internal/benchproj"
	"gloss/storage"
)

func main() {
	n := flag.Int("sources", 1000, "number of sources")
	per := flag.Int("per", 20, "annotations per source")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: genproj [-sources N] [-per N] [-seed N] FILE")
		os.Exit(2)
	}
	s, err := storage.Open(flag.Arg(0), storage.Options{Create: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer s.Close()
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(*n, *per, *seed))); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
