package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/argoproj/argo-cd/v3/util/assets"
	"github.com/argoproj/argo-cd/v3/util/rbac"
)

// rbac: Argo CD's RBAC verdicts.
//
//   - project: the role part of AppProject.ValidateProject (pkg/apis/application/v1alpha1,
//     app_project_types.go) with validateRoleName, validatePolicy and validateGroupName (types.go),
//     written here after v3.5.1 because v1alpha1 imports gitops-engine; every line is answered on
//     its own, and `projectError` is the first error ValidateProject would return.
//   - policyCsv: util/rbac.ValidatePolicy (Argo CD's own function).
//   - queries: util/rbac's Enforcer (Argo CD's own code: NewEnforcer without a cluster,
//     SetBuiltinPolicy(assets.BuiltinPolicyCSV), SetUserPolicy, SetDefaultRole, SetMatchMode,
//     CreateEnforcerWithRuntimePolicy, EnforceWithCustomEnforcer), asked as
//     server/rbacpolicy.RBACPolicyEnforcer.EnforceClaims asks it for a user with groups: the subject
//     first, then each group bound by a `g` line; the project's runtime policy is
//     AppProject.ProjectPoliciesString, written here after v3.5.1.
func init() {
	register("rbac", op{
		source: argoCD,
		what: "util/rbac ValidatePolicy and Enforcer (argo-cd); v1alpha1 validatePolicy, validateRoleName, " +
			"validateGroupName, AppProject.ProjectPoliciesString and the role checks of AppProject.ValidateProject " +
			"(our Go, following v3.5.1); server/rbacpolicy EnforceClaims' order of subject and groups",
		handle: handleRBAC,
	})
}

type rbacRole struct {
	Name     string   `json:"name"`
	Policies []string `json:"policies"`
	Groups   []string `json:"groups"`
}

type rbacQuery struct {
	Subject  string   `json:"subject"`
	Groups   []string `json:"groups"`
	Resource string   `json:"resource"`
	Action   string   `json:"action"`
	Object   string   `json:"object"`
}

func handleRBAC(raw json.RawMessage) (any, error) {
	var in struct {
		Project *struct {
			Name  string     `json:"name"`
			Roles []rbacRole `json:"roles"`
		} `json:"project"`
		PolicyCSV   *string     `json:"policyCsv"`
		DefaultRole string      `json:"defaultRole"`
		MatchMode   string      `json:"matchMode"`
		Builtin     bool        `json:"builtin"`
		Queries     []rbacQuery `json:"queries"`
	}
	if err := decode(raw, &in); err != nil {
		return nil, err
	}
	out := map[string]any{}
	runtimePolicy, projName := "", ""
	if in.Project != nil {
		projName = in.Project.Name
		roles := []map[string]any{}
		var first error
		keep := func(err error) string {
			if err == nil {
				return ""
			}
			if first == nil {
				first = err
			}
			return err.Error()
		}
		roleNames := map[string]bool{}
		for _, role := range in.Project.Roles {
			r := map[string]any{}
			if roleNames[role.Name] {
				keep(fmt.Errorf("role '%s' already exists", role.Name))
			}
			r["name"] = keep(roleNameError(role.Name))
			policies := []string{}
			seen := map[string]bool{}
			for _, p := range role.Policies {
				if seen[p] {
					keep(fmt.Errorf("policy '%s' already exists for role '%s'", p, role.Name))
				}
				policies = append(policies, keep(projectPolicyError(in.Project.Name, role.Name, p)))
				seen[p] = true
			}
			r["policies"] = policies
			groups := []string{}
			seenG := map[string]bool{}
			for _, g := range role.Groups {
				if seenG[g] {
					keep(fmt.Errorf("group '%s' already exists for role '%s'", g, role.Name))
				}
				groups = append(groups, keep(groupNameError(g)))
				seenG[g] = true
			}
			r["groups"] = groups
			roles = append(roles, r)
			roleNames[role.Name] = true
		}
		out["roles"] = roles
		out["projectError"] = ""
		if first != nil {
			out["projectError"] = first.Error()
		}
		runtimePolicy = projectPoliciesString(in.Project.Name, in.Project.Roles)
		out["runtimePolicy"] = runtimePolicy
	}
	userPolicy := ""
	if in.PolicyCSV != nil {
		userPolicy = *in.PolicyCSV
		out["policyError"] = ""
		if err := rbac.ValidatePolicy(userPolicy); err != nil {
			out["policyError"] = err.Error()
		}
	}
	if len(in.Queries) > 0 {
		enf := rbac.NewEnforcer(nil, "argocd", "argocd-rbac-cm", nil)
		if in.Builtin {
			if err := enf.SetBuiltinPolicy(assets.BuiltinPolicyCSV); err != nil {
				return nil, err
			}
		}
		enf.SetMatchMode(in.MatchMode)
		enf.SetDefaultRole(in.DefaultRole)
		if err := enf.SetUserPolicy(userPolicy); err != nil {
			out["enforceError"] = err.Error()
			return out, nil
		}
		enforcer := enf.CreateEnforcerWithRuntimePolicy(projName, runtimePolicy)
		grouping, err := enforcer.GetGroupingPolicy()
		if err != nil {
			return nil, err
		}
		answers := []bool{}
		for _, q := range in.Queries {
			ok := enf.EnforceWithCustomEnforcer(enforcer, q.Subject, q.Resource, q.Action, q.Object)
			for _, g := range q.Groups {
				if ok {
					break
				}
				for _, gp := range grouping {
					if gp[0] == g {
						ok = enf.EnforceWithCustomEnforcer(enforcer, g, q.Resource, q.Action, q.Object)
						break
					}
				}
			}
			answers = append(answers, ok)
		}
		out["enforce"] = answers
	}
	return out, nil
}

// The rules below follow pkg/apis/application/v1alpha1 (v3.5.1) line by line; the error texts are
// Argo CD's (without the gRPC status prefix, which status.Errorf adds as "rpc error: code = ... desc = ").

var projectValidActions = map[string]bool{
	rbac.ActionGet: true, rbac.ActionCreate: true, rbac.ActionUpdate: true, rbac.ActionDelete: true,
	rbac.ActionSync: true, rbac.ActionOverride: true, "*": true,
}

var projectActionPatterns = []*regexp.Regexp{
	regexp.MustCompile("action/.*"), regexp.MustCompile("update/.*"), regexp.MustCompile("delete/.*"),
}

func projectActionValid(action string) bool {
	if projectValidActions[action] {
		return true
	}
	for _, re := range projectActionPatterns {
		if re.MatchString(action) {
			return true
		}
	}
	return false
}

func projectObjectValid(proj, object string) bool {
	re, err := regexp.Compile(fmt.Sprintf(`^%s(/[*\w-.]+)?/[*\w-.]+$`, regexp.QuoteMeta(proj)))
	return err == nil && re.MatchString(object)
}

func projectPolicyError(proj, role, policy string) error {
	parts := strings.Split(policy, ",")
	if len(parts) != 6 || strings.Trim(parts[0], " ") != "p" {
		return fmt.Errorf("invalid policy rule '%s': must be of the form: 'p, sub, res, act, obj, eft'", policy)
	}
	subject := strings.Trim(parts[1], " ")
	expected := fmt.Sprintf("proj:%s:%s", proj, role)
	if subject != expected {
		return fmt.Errorf("invalid policy rule '%s': policy subject must be: '%s', not '%s'", policy, expected, subject)
	}
	resource := strings.Trim(parts[2], " ")
	if !rbac.ProjectScoped[resource] {
		return fmt.Errorf("invalid policy rule '%s': project resource must be: 'applications', 'applicationsets', 'repositories', 'exec', 'logs' or 'clusters', not '%s'", policy, resource)
	}
	action := strings.Trim(parts[3], " ")
	if !projectActionValid(action) {
		return fmt.Errorf("invalid policy rule '%s': invalid action '%s'", policy, action)
	}
	object := strings.Trim(parts[4], " ")
	if !projectObjectValid(proj, object) {
		return fmt.Errorf("invalid policy rule '%s': object must be of form '%s/*', '%s[/<NAMESPACE>]/<APPNAME>' or '%s/<APPNAME>', not '%s'", policy, proj, proj, proj, object)
	}
	effect := strings.Trim(parts[5], " ")
	if effect != "allow" && effect != "deny" {
		return fmt.Errorf("invalid policy rule '%s': effect must be: 'allow' or 'deny'", policy)
	}
	return nil
}

var roleNamePattern = regexp.MustCompile(`^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$`)

func roleNameError(name string) error {
	if !roleNamePattern.MatchString(name) {
		return fmt.Errorf("invalid role name '%s'. Must consist of alphanumeric characters, '-' or '_', and must start and end with an alphanumeric character", name)
	}
	return nil
}

var groupInvalidChars = regexp.MustCompile("[\"\n\r\t]")

func groupNameError(name string) error {
	runes := []rune(name)
	name = strings.TrimSpace(name)
	if len(name) > 1 && strings.HasPrefix(name, "\"") && strings.HasSuffix(name, "\"") {
		name = name[1 : len(name)-1]
	} else if strings.Contains(name, ",") {
		return fmt.Errorf("group '%s' must be quoted", name)
	}
	if name == "" {
		return fmt.Errorf("group '%s' is empty", name)
	}
	if groupInvalidChars.MatchString(name) {
		return fmt.Errorf("group '%s' contains invalid characters", name)
	}
	if len(runes) > 1 && unicode.IsSpace(runes[0]) {
		return fmt.Errorf("group '%s' contains a leading space", name)
	}
	if len(runes) > 1 && unicode.IsSpace(runes[len(runes)-1]) {
		return fmt.Errorf("group '%s' contains a trailing space", name)
	}
	return nil
}

func projectPoliciesString(proj string, roles []rbacRole) string {
	var lines []string
	for _, role := range roles {
		lines = append(lines, fmt.Sprintf("p, proj:%s:%s, projects, get, %s, allow", proj, role.Name, proj))
		lines = append(lines, role.Policies...)
		for _, g := range role.Groups {
			lines = append(lines, fmt.Sprintf("g, %s, proj:%s:%s", g, proj, role.Name))
		}
	}
	return strings.Join(lines, "\n")
}
