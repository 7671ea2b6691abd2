package loadtest

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"time"
)

// CPU accounting.
//
// On a shared machine a run's figures mean little without knowing how
// much of the processor the run had. On Linux the load test reads the
// machine's and its own processor time around the load and reports the
// shares: this process (server and clients, in-process), everything else,
// and idle.

// CPUShare is how the machine's processors were used during a phase, in
// per cent of all of them.
type CPUShare struct {
	Self   float64 `json:"self_percent"`
	Others float64 `json:"others_percent"`
	Idle   float64 `json:"idle_percent"`
}

// cpuSample is a reading of the processor counters.
type cpuSample struct {
	ok          bool
	total, idle uint64        // machine, in clock ticks
	self        time.Duration // this process, user and system
}

// clockTick is USER_HZ, 100 on every Linux platform Go supports.
const clockTick = 10 * time.Millisecond

func readCPU() cpuSample {
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuSample{}
	}
	line, _, _ := bytes.Cut(stat, []byte("\n"))
	fields := strings.Fields(string(line))
	if len(fields) < 5 || fields[0] != "cpu" {
		return cpuSample{}
	}
	var s cpuSample
	for i, f := range fields[1:] {
		n, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return cpuSample{}
		}
		if i >= 8 { // guest time is counted in user time already
			break
		}
		s.total += n
		if i == 3 || i == 4 { // idle, iowait
			s.idle += n
		}
	}
	self, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return cpuSample{}
	}
	// The command name may hold spaces: fields count from its closing
	// parenthesis; utime and stime are the 14th and 15th fields.
	i := bytes.LastIndexByte(self, ')')
	if i < 0 {
		return cpuSample{}
	}
	rest := strings.Fields(string(self[i+1:]))
	if len(rest) < 13 {
		return cpuSample{}
	}
	ut, err1 := strconv.ParseUint(rest[11], 10, 64)
	st, err2 := strconv.ParseUint(rest[12], 10, 64)
	if err1 != nil || err2 != nil {
		return cpuSample{}
	}
	s.self = time.Duration(ut+st) * clockTick
	s.ok = true
	return s
}

// share returns how the processors were used between a and b, nil when
// unknown.
func share(a, b cpuSample) *CPUShare {
	if !a.ok || !b.ok || b.total <= a.total {
		return nil
	}
	total := float64(b.total - a.total)
	idle := float64(b.idle - a.idle)
	self := float64((b.self-a.self)/clockTick) / total * 100
	sh := &CPUShare{Self: self, Idle: idle / total * 100}
	sh.Others = max(0, 100-sh.Idle-sh.Self)
	sh.Self = min(sh.Self, 100-sh.Idle)
	return sh
}
