package assets

// Version and Build identify this build of Gloss. The defaults match
// FyneApp.toml; release builds stamp both from that file through
// packaging/dist.mk:
//
//	go build -ldflags "-X gloss/assets.Version=0.1.0 -X gloss/assets.Build=1"
//
// They are variables, not constants, because -X can only set variables.
var (
	Version = "0.1.0"
	Build   = "1"
)
