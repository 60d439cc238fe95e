package main

// The post-generator selector: Argo CD v3.5.1 applicationset/utils/selector.go
// LabelSelectorAsSelector, k8s.io/apimachinery's version without the restriction on label values.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

type appsetRequirement struct {
	key       string
	operator  selection.Operator
	strValues []string
}

type appsetSelector struct {
	nothing bool
	reqs    []appsetRequirement
}

func (s appsetSelector) matches(ls map[string]string) bool {
	if s.nothing {
		return false
	}
	for _, r := range s.reqs {
		if !r.matches(ls) {
			return false
		}
	}
	return true
}

func appsetLabelSelectorAsSelector(ps *metav1.LabelSelector) (appsetSelector, error) {
	if ps == nil {
		return appsetSelector{nothing: true}, nil
	}
	if len(ps.MatchLabels)+len(ps.MatchExpressions) == 0 {
		return appsetSelector{}, nil
	}
	reqs := []appsetRequirement{}
	for k, v := range ps.MatchLabels {
		r, err := newAppsetRequirement(k, selection.Equals, []string{v})
		if err != nil {
			return appsetSelector{}, err
		}
		reqs = append(reqs, r)
	}
	for _, expr := range ps.MatchExpressions {
		var op selection.Operator
		switch expr.Operator {
		case metav1.LabelSelectorOpIn:
			op = selection.In
		case metav1.LabelSelectorOpNotIn:
			op = selection.NotIn
		case metav1.LabelSelectorOpExists:
			op = selection.Exists
		case metav1.LabelSelectorOpDoesNotExist:
			op = selection.DoesNotExist
		default:
			return appsetSelector{}, fmt.Errorf("%q is not a valid pod selector operator", expr.Operator)
		}
		r, err := newAppsetRequirement(expr.Key, op, append([]string(nil), expr.Values...))
		if err != nil {
			return appsetSelector{}, err
		}
		reqs = append(reqs, r)
	}
	slices.SortStableFunc(reqs, func(a, b appsetRequirement) int { return strings.Compare(a.key, b.key) })
	return appsetSelector{reqs: reqs}, nil
}

func newAppsetRequirement(key string, op selection.Operator, vals []string) (appsetRequirement, error) {
	var allErrs field.ErrorList
	path := field.ToPath()
	if errs := validation.IsQualifiedName(key); len(errs) != 0 {
		allErrs = append(allErrs, field.Invalid(path.Child("key"), key, strings.Join(errs, "; ")))
	}
	valuePath := path.Child("values")
	switch op {
	case selection.In, selection.NotIn:
		if len(vals) == 0 {
			allErrs = append(allErrs, field.Invalid(valuePath, vals, "for 'in', 'notin' operators, values set can't be empty"))
		}
	case selection.Equals, selection.DoubleEquals, selection.NotEquals:
		if len(vals) != 1 {
			allErrs = append(allErrs, field.Invalid(valuePath, vals, "exact-match compatibility requires one single value"))
		}
	case selection.Exists, selection.DoesNotExist:
		if len(vals) != 0 {
			allErrs = append(allErrs, field.Invalid(valuePath, vals, "values set must be empty for exists and does not exist"))
		}
	}
	return appsetRequirement{key: key, operator: op, strValues: vals}, allErrs.ToAggregate()
}

func (r appsetRequirement) matches(ls map[string]string) bool {
	v, has := ls[r.key]
	switch r.operator {
	case selection.In, selection.Equals, selection.DoubleEquals:
		return has && slices.Contains(r.strValues, v)
	case selection.NotIn, selection.NotEquals:
		return !has || !slices.Contains(r.strValues, v)
	case selection.Exists:
		return has
	case selection.DoesNotExist:
		return !has
	case selection.GreaterThan, selection.LessThan:
		if !has || len(r.strValues) != 1 {
			return false
		}
		lv, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return false
		}
		rv, err := strconv.ParseInt(r.strValues[0], 10, 64)
		if err != nil {
			return false
		}
		return (r.operator == selection.GreaterThan && lv > rv) || (r.operator == selection.LessThan && lv < rv)
	}
	return false
}
