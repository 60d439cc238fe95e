// (The file is not named op_sync_windows.go: Go reads a _windows.go suffix as a build constraint.)

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/argoproj/argo-cd/v3/util/glob"
	"github.com/robfig/cron/v3"
)

// syncWindows: what an AppProject's sync windows say at a given time, written after Argo CD
// v3.5.1's pkg/apis/application/v1alpha1 (types.go: SyncWindows.active, inactiveAllows, Matches,
// CanSync, canSyncAtTime, hasDeny, hasAllow, manualEnabled, denyAllowsOverrun,
// inactiveAllowsAllowOverrun, SyncWindow.scheduleOffsetByTimeZone, SyncWindow.Validate;
// app_project_types.go: globMatch and the window checks of AppProject.ValidateProject), because
// v1alpha1 imports gitops-engine. The libraries are Argo CD's: robfig/cron with the same parser
// options, Go's time, util/glob.
//
// Argo CD reads the clock (time.Now()) in two places: the time windows are checked at, and the
// time whose UTC offset scheduleOffsetByTimeZone takes. Here both are the `time` of the request,
// which is what Argo CD answers when asked at that moment.
func init() {
	register("syncWindows", op{
		source: libraries,
		what: "v1alpha1 SyncWindows.Active, InactiveAllows, Matches, CanSync, SyncWindow.Validate " +
			"(types.go, v3.5.1) over robfig/cron, time and util/glob",
		handle: handleSyncWindows,
	})
}

type syncWindow struct {
	Kind           string   `json:"kind,omitempty"`
	Schedule       string   `json:"schedule,omitempty"`
	Duration       string   `json:"duration,omitempty"`
	Applications   []string `json:"applications,omitempty"`
	Namespaces     []string `json:"namespaces,omitempty"`
	Clusters       []string `json:"clusters,omitempty"`
	ManualSync     bool     `json:"manualSync,omitempty"`
	TimeZone       string   `json:"timeZone,omitempty"`
	UseAndOperator bool     `json:"andOperator,omitempty"`
	Description    string   `json:"description,omitempty"`
	SyncOverrun    bool     `json:"syncOverrun,omitempty"`
}

type windowApp struct {
	Name        string `json:"name"`
	Destination struct {
		Server    string `json:"server"`
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"destination"`
}

// windowSet keeps each window's index in the request, so that answers name windows by index.
type windowSet struct {
	idx []int
	all []syncWindow
}

func (s *windowSet) has() bool { return s != nil && len(s.idx) > 0 }

func (s *windowSet) each(f func(i int, w *syncWindow)) {
	if s == nil {
		return
	}
	for _, i := range s.idx {
		f(i, &s.all[i])
	}
}

func (s *windowSet) indices() []int {
	if s == nil {
		return []int{}
	}
	return append([]int{}, s.idx...)
}

var windowParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

func offsetByTimeZone(w *syncWindow, now time.Time) time.Duration {
	loc, err := time.LoadLocation(w.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	_, off := now.In(loc).Zone()
	return time.Duration(off) * time.Second
}

// windowActive is the body of SyncWindows.active / inactiveAllows for one window.
func windowActive(w *syncWindow, current, now time.Time) (bool, error) {
	schedule, err := windowParser.Parse(w.Schedule)
	if err != nil {
		return false, fmt.Errorf("cannot parse schedule '%s': %w", w.Schedule, err)
	}
	duration, err := time.ParseDuration(w.Duration)
	if err != nil {
		return false, fmt.Errorf("cannot parse duration '%s': %w", w.Duration, err)
	}
	off := offsetByTimeZone(w, now)
	next := schedule.Next(current.Add(off - duration))
	return next.Before(current.Add(off)), nil
}

// filter is the loop SyncWindows.active, inactiveAllows and Matches share: the windows `keep`
// accepts, nil when there are none; the first error ends it (Argo CD returns it at once).
func (s *windowSet) filter(keep func(w *syncWindow) (bool, error)) (*windowSet, error) {
	if !s.has() {
		return nil, nil
	}
	out := &windowSet{all: s.all}
	var err error
	s.each(func(i int, w *syncWindow) {
		if err != nil {
			return
		}
		var ok bool
		if ok, err = keep(w); err == nil && ok {
			out.idx = append(out.idx, i)
		}
	})
	if err != nil {
		return nil, err
	}
	if len(out.idx) == 0 {
		return nil, nil
	}
	return out, nil
}

func (s *windowSet) active(current, now time.Time) (*windowSet, error) {
	current = current.In(time.UTC)
	return s.filter(func(w *syncWindow) (bool, error) { return windowActive(w, current, now) })
}

func (s *windowSet) inactiveAllows(current, now time.Time) (*windowSet, error) {
	current = current.In(time.UTC)
	return s.filter(func(w *syncWindow) (bool, error) {
		if w.Kind != "allow" {
			return false, nil
		}
		on, err := windowActive(w, current, now)
		return !on, err
	})
}

func windowGlob(pattern, val string) bool {
	if pattern == "*" {
		return true
	}
	return glob.Match(pattern, val)
}

// anyGlob: whether one of the patterns matches (the loops of SyncWindows.Matches).
func anyGlob(patterns []string, match func(pattern string) bool) bool {
	for _, p := range patterns {
		if match(p) {
			return true
		}
	}
	return false
}

func (s *windowSet) matches(app windowApp) *windowSet {
	out, _ := s.filter(func(w *syncWindow) (bool, error) {
		matched, isSet := false, false
		if len(w.Applications) > 0 {
			isSet = true
			matched = anyGlob(w.Applications, func(a string) bool { return windowGlob(a, app.Name) })
		}
		if w.UseAndOperator && !matched && isSet {
			return false, nil
		} else if !w.UseAndOperator && matched {
			return true, nil
		}
		if len(w.Clusters) > 0 {
			isSet = true
			d := app.Destination
			matched = anyGlob(w.Clusters, func(c string) bool {
				return (d.Name != "" && windowGlob(c, d.Name)) || (d.Server != "" && windowGlob(c, d.Server))
			})
		}
		if isSet && w.UseAndOperator && !matched {
			return false, nil
		} else if !w.UseAndOperator && matched {
			return true, nil
		}
		if len(w.Namespaces) > 0 {
			matched = anyGlob(w.Namespaces, func(n string) bool { return windowGlob(n, app.Destination.Namespace) })
		}
		return matched, nil
	})
	return out
}

func (s *windowSet) hasDeny() (bool, bool) {
	found, manual := false, false
	s.each(func(_ int, w *syncWindow) {
		if w.Kind == "deny" {
			if !found {
				manual = w.ManualSync
			} else if manual {
				manual = w.ManualSync
			}
			found = true
		}
	})
	return found, manual
}

func (s *windowSet) hasAllow() bool {
	found := false
	s.each(func(_ int, w *syncWindow) { found = found || w.Kind == "allow" })
	return found
}

func (s *windowSet) manualEnabled() bool {
	if !s.has() {
		return false
	}
	all := true
	s.each(func(_ int, w *syncWindow) { all = all && w.ManualSync })
	return all
}

func (s *windowSet) overrunOf(kind string) bool {
	if !s.has() {
		return false
	}
	found, all := false, true
	s.each(func(_ int, w *syncWindow) {
		if w.Kind == kind {
			found = true
			all = all && w.SyncOverrun
		}
	})
	return found && all
}

func (s *windowSet) canSyncAtTime(manual bool, check, now time.Time) (bool, error) {
	if !s.has() {
		return true, nil
	}
	active, err := s.active(check, now)
	if err != nil {
		return false, fmt.Errorf("invalid sync windows: %w", err)
	}
	if deny, manualOK := active.hasDeny(); deny {
		return manual && manualOK, nil
	}
	if active.hasAllow() {
		return true, nil
	}
	inactive, err := s.inactiveAllows(check, now)
	if err != nil {
		return false, fmt.Errorf("invalid sync windows: %w", err)
	}
	if inactive.has() {
		return manual && inactive.manualEnabled(), nil
	}
	return true, nil
}

func (s *windowSet) canSync(manual bool, opStart *time.Time, now time.Time) (bool, error) {
	if !s.has() {
		return true, nil
	}
	active, err := s.active(now, now)
	if err != nil {
		return false, fmt.Errorf("invalid sync windows: %w", err)
	}
	if deny, manualOK := active.hasDeny(); deny {
		if manual && manualOK {
			return true, nil
		}
		if opStart != nil && !opStart.IsZero() && active.overrunOf("deny") {
			was, err := s.canSyncAtTime(manual, *opStart, now)
			if err != nil {
				return false, err
			}
			if was {
				return true, nil
			}
		}
		return false, nil
	}
	if active.hasAllow() {
		return true, nil
	}
	inactive, err := s.inactiveAllows(now, now)
	if err != nil {
		return false, fmt.Errorf("invalid sync windows: %w", err)
	}
	if inactive.has() {
		if manual && inactive.manualEnabled() {
			return true, nil
		}
		if opStart != nil && !opStart.IsZero() && inactive.overrunOf("allow") {
			was, err := s.canSyncAtTime(manual, *opStart, now)
			if err != nil {
				return false, err
			}
			if was {
				return true, nil
			}
		}
		return false, nil
	}
	return true, nil
}

// validateWindow is SyncWindow.Validate plus the "requires one of" rule of ValidateProject.
func validateWindow(w syncWindow) (error, string) {
	tz := w.TimeZone
	if tz == "" {
		tz = "UTC"
	}
	if _, err := time.LoadLocation(tz); err != nil {
		tz = "UTC"
	}
	if w.Kind != "allow" && w.Kind != "deny" {
		return fmt.Errorf("kind '%s' mismatch: can only be allow or deny", w.Kind), tz
	}
	if _, err := windowParser.Parse(w.Schedule); err != nil {
		return fmt.Errorf("cannot parse schedule '%s': %w", w.Schedule, err), tz
	}
	if _, err := time.ParseDuration(w.Duration); err != nil {
		return fmt.Errorf("cannot parse duration '%s': %w", w.Duration, err), tz
	}
	if len(w.Description) > 255 {
		return errors.New("description must not exceed 255 characters"), tz
	}
	if len(w.Applications) == 0 && len(w.Namespaces) == 0 && len(w.Clusters) == 0 {
		return fmt.Errorf("window '%s':'%s':'%s' requires one of application, cluster or namespace", w.Kind, w.Schedule, w.Duration), tz
	}
	return nil, tz
}

type boolOrError struct {
	Value bool   `json:"value"`
	Error string `json:"error,omitempty"`
}

func answerBool(v bool, err error) boolOrError {
	if err != nil {
		return boolOrError{Error: err.Error()}
	}
	return boolOrError{Value: v}
}

type setOrError struct {
	Windows []int  `json:"windows"`
	Error   string `json:"error,omitempty"`
}

func answerSet(s *windowSet, err error) setOrError {
	if err != nil {
		return setOrError{Windows: []int{}, Error: err.Error()}
	}
	return setOrError{Windows: s.indices()}
}

func handleSyncWindows(raw json.RawMessage) (answer any, err error) {
	var in struct {
		Windows            []syncWindow `json:"windows"`
		Time               string       `json:"time"`
		App                *windowApp   `json:"app"`
		OperationStartTime string       `json:"operationStartTime"`
	}
	if err := decode(raw, &in); err != nil {
		return nil, err
	}
	now, err := time.Parse(time.RFC3339Nano, in.Time)
	if err != nil {
		return nil, badInput("time: %v", err)
	}
	var opStart *time.Time
	if in.OperationStartTime != "" {
		t, err := time.Parse(time.RFC3339Nano, in.OperationStartTime)
		if err != nil {
			return nil, badInput("operationStartTime: %v", err)
		}
		opStart = &t
	}
	// robfig/cron panics on a "TZ=" prefix without a space; Argo CD does not recover from it.
	defer func() {
		if r := recover(); r != nil {
			answer, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	all := &windowSet{all: in.Windows}
	for i := range in.Windows {
		all.idx = append(all.idx, i)
	}
	validate := []string{}
	timeZones := []string{}
	for _, w := range in.Windows {
		verr, tz := validateWindow(w)
		if verr != nil {
			validate = append(validate, verr.Error())
		} else {
			validate = append(validate, "")
		}
		timeZones = append(timeZones, tz)
	}
	out := map[string]any{"validate": validate, "timeZones": timeZones}
	out["active"] = answerSet(all.active(now, now))
	out["inactiveAllows"] = answerSet(all.inactiveAllows(now, now))
	if in.App != nil {
		m := all.matches(*in.App)
		out["matches"] = m.indices()
		out["canSyncAuto"] = answerBool(m.canSync(false, opStart, now))
		out["canSyncManual"] = answerBool(m.canSync(true, opStart, now))
		out["matchedActive"] = answerSet(m.active(now, now))
	}
	return out, nil
}
