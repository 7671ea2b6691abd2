//go:build !race

package storetest

// raceEnabled is true under the race detector; see race_on.go.
const raceEnabled = false
