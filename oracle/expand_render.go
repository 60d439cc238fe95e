package main

// Rendering of ApplicationSet templates and generators, following Argo CD v3.5.1's
// applicationset/utils/utils.go (Render.Replace, deeplyReplaceWithFilter, RenderTemplateParams,
// RenderGeneratorParams) and utils/template_functions.go, on the libraries it calls: Go's
// text/template with sprig v3's GenericFuncMap, valyala/fasttemplate, gosimple/slug and
// sigs.k8s.io/yaml.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/cdk8s-argocd/cdk8s-argocd/oracle/v1alpha1"
	"io"
	"reflect"
	"regexp"
	"strings"
	"text/template"
	"unsafe"

	"github.com/Masterminds/sprig/v3"
	"github.com/gosimple/slug"
	"github.com/valyala/fasttemplate"
	"sigs.k8s.io/yaml"
)

var appsetFuncMap = sprig.GenericFuncMap()

var appsetBaseTemplate *template.Template

func init() {
	delete(appsetFuncMap, "env")
	delete(appsetFuncMap, "expandenv")
	delete(appsetFuncMap, "getHostByName")
	appsetFuncMap["normalize"] = sanitizeName
	appsetFuncMap["slugify"] = slugifyName
	appsetFuncMap["toYaml"] = toYAML
	appsetFuncMap["fromYaml"] = fromYAML
	appsetFuncMap["fromYamlArray"] = fromYAMLArray
	appsetBaseTemplate = template.New("base").Funcs(appsetFuncMap)
}

// sanitizeName: template_functions.go SanitizeName.
func sanitizeName(name string) string {
	invalidDNSNameChars := regexp.MustCompile("[^-a-z0-9.]")
	name = strings.ToLower(name)
	name = invalidDNSNameChars.ReplaceAllString(name, "-")
	if len(name) > 253 {
		name = name[:253]
	}
	return strings.Trim(name, "-.")
}

func toYAML(v any) (string, error) {
	data, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(data), "\n"), nil
}

func fromYAML(str string) (map[string]any, error) {
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		return nil, err
	}
	return m, nil
}

func fromYAMLArray(str string) ([]any, error) {
	a := []any{}
	if err := yaml.Unmarshal([]byte(str), &a); err != nil {
		return nil, err
	}
	return a, nil
}

// slugifyName: utils.go SlugifyName (it sets slug's package-level options, as Argo CD does).
func slugifyName(args ...any) string {
	maxSize := 50
	enableSmartTruncate := true
	name := ""
	for idx, arg := range args {
		switch idx {
		case len(args) - 1:
			name = arg.(string)
		case 0:
			maxSize = arg.(int)
		case 1:
			enableSmartTruncate = arg.(bool)
		}
	}
	sanitized := sanitizeName(name)
	slug.EnableSmartTruncate = enableSmartTruncate
	slug.MaxLength = maxSize
	return slug.Make(sanitized)
}

func isJSONStr(str string) bool {
	str = strings.TrimSpace(str)
	return str != "" && str[0] == '{'
}

func convertYAMLToJSON(str string) (string, error) {
	if !isJSONStr(str) {
		j, err := yaml.YAMLToJSON([]byte(str))
		if err != nil {
			return str, err
		}
		return string(j), nil
	}
	return str, nil
}

var isTemplatedRegex = regexp.MustCompile(".*{{.*}}.*")

// replace: Render.Replace.
func replace(tmpl string, replaceMap map[string]any, useGoTemplate bool, goTemplateOptions []string) (string, error) {
	if useGoTemplate {
		cloned, err := appsetBaseTemplate.Clone()
		if err != nil {
			return "", fmt.Errorf("failed to clone base template: %w", err)
		}
		for _, option := range goTemplateOptions {
			cloned = cloned.Option(option)
		}
		parsed, err := cloned.Parse(tmpl)
		if err != nil {
			return "", fmt.Errorf("failed to parse template %s: %w", tmpl, err)
		}
		var buf bytes.Buffer
		if err = parsed.Execute(&buf, replaceMap); err != nil {
			return "", fmt.Errorf("failed to execute go template %s: %w", tmpl, err)
		}
		return buf.String(), nil
	}
	if !isTemplatedRegex.MatchString(tmpl) {
		return tmpl, nil
	}
	fst, err := fasttemplate.NewTemplate(tmpl, "{{", "}}")
	if err != nil {
		return "", fmt.Errorf("invalid template: %w", err)
	}
	return fst.ExecuteFuncString(func(w io.Writer, tag string) (int, error) {
		trimmed := strings.TrimSpace(tag)
		replacement, ok := replaceMap[trimmed].(string)
		if trimmed == "" || !ok {
			return fmt.Fprintf(w, "{{%s}}", tag)
		}
		return w.Write([]byte(replacement))
	}), nil
}

func copyValueIntoUnexported(destination, value reflect.Value) {
	reflect.NewAt(destination.Type(), unsafe.Pointer(destination.UnsafeAddr())).Elem().Set(value)
}

func copyUnexported(destination, original reflect.Value) {
	unexported := reflect.NewAt(original.Type(), unsafe.Pointer(original.UnsafeAddr())).Elem()
	copyValueIntoUnexported(destination, unexported)
}

func isNillable(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Map, reflect.Pointer, reflect.UnsafePointer, reflect.Interface, reflect.Slice:
		return true
	}
	return false
}

type replaceFilter func(destination, original, parent reflect.Value, field reflect.StructField) (bool, error)

// deeplyReplace: Render.deeplyReplaceWithFilter, over the same kinds in the same way.
func deeplyReplace(destination, original reflect.Value, replaceMap map[string]any, useGoTemplate bool, opts []string, filter replaceFilter) error {
	switch original.Kind() {
	case reflect.Ptr:
		originalValue := original.Elem()
		if !originalValue.IsValid() {
			return nil
		}
		if originalValue.CanSet() {
			destination.Set(reflect.New(originalValue.Type()))
		} else {
			copyUnexported(destination, original)
		}
		return deeplyReplace(destination.Elem(), originalValue, replaceMap, useGoTemplate, opts, filter)
	case reflect.Interface:
		originalValue := original.Elem()
		if originalValue.IsValid() {
			copyValue := reflect.New(originalValue.Type()).Elem()
			if err := deeplyReplace(copyValue, originalValue, replaceMap, useGoTemplate, opts, filter); err != nil {
				return err
			}
			destination.Set(copyValue)
		}
	case reflect.Struct:
		for i := 0; i < original.NumField(); i++ {
			currentType := fmt.Sprintf("%s.%s", original.Type().Field(i).Name, original.Type().PkgPath())
			if filter != nil {
				matched, err := filter(destination.Field(i), original.Field(i), original, original.Type().Field(i))
				if matched {
					if err != nil {
						return err
					}
					continue
				}
			}
			if currentType == "time.Time" {
				destination.Field(i).Set(original.Field(i))
			} else if currentType == "Raw.k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1" || currentType == "Raw.k8s.io/apimachinery/pkg/runtime" {
				var unmarshaled any
				converted, err := convertYAMLToJSON(string(original.Field(i).Bytes()))
				if err != nil {
					return fmt.Errorf("error while converting template to json %q: %w", converted, err)
				}
				if err = json.Unmarshal([]byte(converted), &unmarshaled); err != nil {
					return fmt.Errorf("failed to unmarshal JSON field: %w", err)
				}
				jsonOriginal := reflect.ValueOf(&unmarshaled)
				jsonCopy := reflect.New(jsonOriginal.Type()).Elem()
				if err = deeplyReplace(jsonCopy, jsonOriginal, replaceMap, useGoTemplate, opts, filter); err != nil {
					return fmt.Errorf("failed to deeply replace JSON field contents: %w", err)
				}
				data, err := json.Marshal(jsonCopy.Interface().(*any))
				if err != nil {
					return fmt.Errorf("failed to marshal templated JSON field: %w", err)
				}
				destination.Field(i).Set(reflect.ValueOf(data))
			} else if err := deeplyReplace(destination.Field(i), original.Field(i), replaceMap, useGoTemplate, opts, filter); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if destination.CanSet() {
			destination.Set(reflect.MakeSlice(original.Type(), original.Len(), original.Cap()))
		} else {
			copyValueIntoUnexported(destination, reflect.MakeSlice(original.Type(), original.Len(), original.Cap()))
		}
		for i := 0; i < original.Len(); i++ {
			if err := deeplyReplace(destination.Index(i), original.Index(i), replaceMap, useGoTemplate, opts, filter); err != nil {
				return err
			}
		}
	case reflect.Map:
		if destination.CanSet() {
			destination.Set(reflect.MakeMap(original.Type()))
		} else {
			copyValueIntoUnexported(destination, reflect.MakeMap(original.Type()))
		}
		for _, key := range original.MapKeys() {
			originalValue := original.MapIndex(key)
			if originalValue.Kind() != reflect.String && isNillable(originalValue) && originalValue.IsNil() {
				continue
			}
			copyValue := reflect.New(originalValue.Type()).Elem()
			if err := deeplyReplace(copyValue, originalValue, replaceMap, useGoTemplate, opts, filter); err != nil {
				return err
			}
			if key.Kind() == reflect.String {
				templatedKey, err := replace(key.String(), replaceMap, useGoTemplate, opts)
				if err != nil {
					return err
				}
				key = reflect.ValueOf(templatedKey)
			}
			destination.SetMapIndex(key, copyValue)
		}
	case reflect.String:
		templated, err := replace(original.String(), replaceMap, useGoTemplate, opts)
		if err != nil {
			return err
		}
		if destination.CanSet() {
			destination.SetString(templated)
		} else {
			copyValueIntoUnexported(destination, reflect.ValueOf(templated))
		}
	default:
		if destination.CanSet() {
			destination.Set(original)
		} else {
			copyUnexported(destination, original)
		}
	}
	return nil
}

const resourcesFinalizerName = "resources-finalizer.argocd.argoproj.io"

// renderTemplateParams: Render.RenderTemplateParams.
func renderTemplateParams(tmpl *v1alpha1.Application, syncPolicy *v1alpha1.ApplicationSetSyncPolicy, params map[string]any, useGoTemplate bool, opts []string) (*v1alpha1.Application, error) {
	if tmpl == nil {
		return nil, errors.New("application template is empty")
	}
	if len(params) == 0 {
		return tmpl, nil
	}
	original := reflect.ValueOf(tmpl)
	destination := reflect.New(original.Type()).Elem()
	if err := deeplyReplace(destination, original, params, useGoTemplate, opts, nil); err != nil {
		return nil, err
	}
	replaced := destination.Interface().(*v1alpha1.Application)
	if (syncPolicy == nil || !syncPolicy.PreserveResourcesOnDeletion) && len(replaced.Finalizers) == 0 {
		replaced.Finalizers = []string{resourcesFinalizerName}
	}
	return replaced, nil
}

// The generator types with a Values map[string]string field (getFilteredGeneratorTypes).
var filteredGeneratorTypes = func() map[string]bool {
	result := map[string]bool{}
	t := reflect.TypeFor[v1alpha1.ApplicationSetGenerator]()
	for i := 0; i < t.NumField(); i++ {
		ft := t.Field(i).Type
		if ft.Kind() == reflect.Ptr && strings.HasSuffix(ft.String(), "Generator") {
			gt := ft.Elem()
			for j := 0; j < gt.NumField(); j++ {
				f := gt.Field(j)
				if f.Name == "Values" && f.Type.String() == "map[string]string" {
					result[gt.Name()] = true
				}
			}
		}
	}
	return result
}()

func isMissingKeyError(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "map has no entry for key") || strings.Contains(msg, "can't evaluate field")
}

// renderGeneratorParams: Render.RenderGeneratorParams (values pre-resolved with missingkey=error,
// a value whose key is missing kept as written).
func renderGeneratorParams(gen *v1alpha1.ApplicationSetGenerator, params map[string]any, useGoTemplate bool, opts []string) (*v1alpha1.ApplicationSetGenerator, error) {
	if gen == nil {
		return nil, errors.New("generator is empty")
	}
	if len(params) == 0 {
		return gen, nil
	}
	original := reflect.ValueOf(gen)
	destination := reflect.New(original.Type()).Elem()
	resolveOptions := opts
	if useGoTemplate {
		stripped := make([]string, 0, len(opts))
		for _, opt := range opts {
			if !strings.HasPrefix(opt, "missingkey=") {
				stripped = append(stripped, opt)
			}
		}
		resolveOptions = append(stripped, "missingkey=error")
	}
	filter := func(destination, original, parent reflect.Value, field reflect.StructField) (bool, error) {
		if field.Name == "Values" && field.Type.String() == "map[string]string" && filteredGeneratorTypes[parent.Type().Name()] {
			if !destination.CanSet() {
				return true, fmt.Errorf("cannot copy %s.Values, this cannot happen", parent.Type().Name())
			}
			if original.IsNil() {
				destination.Set(original)
				return true, nil
			}
			originalMap := original.Interface().(map[string]string)
			resolved := make(map[string]string, len(originalMap))
			for k, v := range originalMap {
				r, err := replace(v, params, useGoTemplate, resolveOptions)
				if err != nil {
					if isMissingKeyError(err) {
						resolved[k] = v
						continue
					}
					return true, fmt.Errorf("failed to pre-resolve Values key %q: %w", k, err)
				}
				resolved[k] = r
			}
			destination.Set(reflect.ValueOf(resolved))
			return true, nil
		}
		return false, nil
	}
	if err := deeplyReplace(destination, original, params, useGoTemplate, opts, filter); err != nil {
		return nil, fmt.Errorf("failed to replace parameters in generator: %w", err)
	}
	return destination.Interface().(*v1alpha1.ApplicationSetGenerator), nil
}
