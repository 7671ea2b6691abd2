//go:build race

package storetest

// raceEnabled is true under the race detector, which slows the pure-Go
// SQLite down about twentyfold; time limits are not checked then.
const raceEnabled = true
