package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"

	"k8s.io/apiextensions-apiserver/pkg/apihelpers"
	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	metavalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

// validate: objects -> the verdict of a Kubernetes API server serving the CRDs of a folder, for a
// create of each object, computed by apiextensions-apiserver v0.36.1's own packages in the order
// its handler runs them:
//
//  1. decoding (customresource_handler.go, schemaCoercingDecoder / unstructuredSchemaCoercer.apply):
//     ObjectMeta read back (schemaobjectmeta.GetObjectMetaWithOptions), unknown fields pruned
//     (pruning.PruneWithOptions, the dropped paths listed as a strict decoder reports them),
//     non-nullable nulls dropped (defaulting.PruneNonNullableNullsWithoutDefaults), embedded
//     ObjectMeta coerced (schemaobjectmeta.CoerceWithOptions);
//  2. defaulting (unstructuredDefaulter: defaulting.Default with the schema's pruned defaults);
//  3. create preparation (registry/customresource/strategy.go PrepareForCreate: status dropped
//     when the status subresource is on, generation 1), namespace of the request filled in;
//  4. validation (strategy.go Validate / validator.go customResourceValidator.Validate): type meta,
//     ObjectMeta (apimachinery's ValidateObjectMetaAccessor), the OpenAPI schema with formats and
//     enums (apiservervalidation.NewSchemaValidator, ValidateCustomResource), embedded resources
//     (schemaobjectmeta.Validate), list-type sets and maps (listtype.ValidateListSetsAndMaps), then
//     x-kubernetes-validations CEL rules (cel.NewValidator ... Validate), skipped as the server
//     skips them when an earlier error blocks them.
//
// Each CRD file is read, compiled (structural schema, schema validator, CEL programs) once and
// kept, keyed by the file's path and content. Objects of a kind no CRD in the folder serves are
// answered served: false with the reason. Of those, the built-in kinds client-go's scheme knows
// (ConfigMap, Secret, Deployment, ...) are answered builtIn: true after a strict decode into
// k8s.io/api v0.36.1's Go type, as the API server's strict field validation decodes them
// (runtime/serializer/json with Strict: unknown and duplicate fields, wrong types); the kind's own
// validation (k8s.io/kubernetes pkg/apis/*/validation) and ObjectMeta's are not run for them.
func init() {
	register("validate", op{
		source: kubernetes,
		what: "k8s.io/apiextensions-apiserver pkg/apiserver/customresource_handler.go (unstructuredSchemaCoercer.apply, " +
			"unstructuredDefaulter) and pkg/registry/customresource strategy.go, validator.go (PrepareForCreate, Validate): " +
			"pruning.PruneWithOptions, defaulting.Default, validation.NewSchemaValidator, cel.Validator",
		handle: handleValidate,
	})
}

type validateInput struct {
	CRDs string `json:"crds"`
	// Object or Objects: each a JSON object, or a string of JSON text (as parse answers a document).
	Object  json.RawMessage   `json:"object"`
	Objects []json.RawMessage `json:"objects"`
	// Namespace of the request, given to namespaced objects without one (kubectl's default).
	Namespace string `json:"namespace"`
}

type verdict struct {
	Served bool `json:"served"`
	// BuiltIn: no CRD serves the kind, client-go's scheme knows it; Errors and Pruned are those of
	// a strict decode into its k8s.io/api type.
	BuiltIn bool   `json:"builtIn,omitempty"`
	Reason  string `json:"reason,omitempty"`
	// Errors: the API server's field errors, as its Invalid status lists them.
	Errors []string `json:"errors"`
	// Pruned: the paths pruning drops (what a strict decoder reports as unknown fields).
	Pruned []string `json:"pruned"`
	// Defaulted: the paths defaulting sets that the object did not have.
	Defaulted []string `json:"defaulted"`
	// Object: the object as stored (after pruning, defaulting and create preparation).
	Object map[string]any `json:"object,omitempty"`
}

func handleValidate(raw json.RawMessage) (any, error) {
	var in validateInput
	if err := decode(raw, &in); err != nil {
		return nil, err
	}
	if in.CRDs == "" {
		return nil, badInput("validate: crds (a folder of CRD YAML files) is required")
	}
	if in.Namespace == "" {
		in.Namespace = "default"
	}
	served, err := loadCRDFolder(in.CRDs)
	if err != nil {
		return nil, err
	}
	single := len(in.Object) > 0
	objects := in.Objects
	if single {
		objects = []json.RawMessage{in.Object}
	}
	out := make([]verdict, 0, len(objects))
	for i, o := range objects {
		text := []byte(o)
		var s string
		if len(o) > 0 && o[0] == '"' {
			if err := json.Unmarshal(o, &s); err != nil {
				return nil, badInput("validate: object %d: %v", i, err)
			}
			text = []byte(s)
		}
		// the API server's JSON decoding of unstructured objects: integers int64, other numbers float64
		obj := map[string]any{}
		if err := utiljson.Unmarshal(text, &obj); err != nil {
			out = append(out, verdict{Served: false, Reason: err.Error(), Errors: []string{err.Error()}, Pruned: []string{}, Defaulted: []string{}})
			continue
		}
		out = append(out, served.validate(obj, text, in.Namespace))
	}
	if single {
		return out[0], nil
	}
	return map[string]any{"results": out}, nil
}

// servedVersion is one version of one CRD, compiled as customresource_handler.go getOrCreateServingInfoFor does.
type servedVersion struct {
	crdName         string
	gvk             schema.GroupVersionKind
	namespaced      bool
	preserveUnknown bool
	structural      *structuralschema.Structural
	validator       apiservervalidation.SchemaValidator
	celValidator    *cel.Validator
	hasStatus       bool
	served          bool
}

type crdFolder struct {
	byGK map[schema.GroupKind]map[string]*servedVersion
}

var (
	crdCacheMu sync.Mutex
	// keyed by file path + sha256 of its content
	crdFileCache = map[string][]*servedVersion{}
)

func loadCRDFolder(dir string) (*crdFolder, error) {
	files := []string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, badInput("validate: crds: %v", err)
	}
	sort.Strings(files)
	folder := &crdFolder{byGK: map[schema.GroupKind]map[string]*servedVersion{}}
	crdCacheMu.Lock()
	defer crdCacheMu.Unlock()
	for _, f := range files {
		content, err := os.ReadFile(f)
		if err != nil {
			return nil, badInput("validate: %v", err)
		}
		sum := sha256.Sum256(content)
		key := f + "\x00" + hex.EncodeToString(sum[:])
		versions, ok := crdFileCache[key]
		if !ok {
			versions, err = compileCRDFile(content)
			if err != nil {
				return nil, badInput("validate: %s: %v", f, err)
			}
			crdFileCache[key] = versions
		}
		for _, v := range versions {
			gk := v.gvk.GroupKind()
			if folder.byGK[gk] == nil {
				folder.byGK[gk] = map[string]*servedVersion{}
			}
			folder.byGK[gk][v.gvk.Version] = v
		}
	}
	return folder, nil
}

func compileCRDFile(content []byte) ([]*servedVersion, error) {
	docs, err := yamlDocuments(content)
	if err != nil {
		return nil, err
	}
	out := []*servedVersion{}
	for _, doc := range docs {
		var probe struct {
			Kind string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &probe); err != nil {
			return nil, err
		}
		if probe.Kind != "CustomResourceDefinition" {
			continue // SOURCE notes and other documents
		}
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal(doc, crd); err != nil {
			return nil, err
		}
		apiextensionsv1.SetObjectDefaults_CustomResourceDefinition(crd)
		versions, err := compileCRD(crd)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", crd.Name, err)
		}
		out = append(out, versions...)
	}
	return out, nil
}

func compileCRD(crd *apiextensionsv1.CustomResourceDefinition) ([]*servedVersion, error) {
	out := []*servedVersion{}
	for _, v := range crd.Spec.Versions {
		sv := &servedVersion{
			crdName:         crd.Name,
			gvk:             schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind},
			namespaced:      crd.Spec.Scope == apiextensionsv1.NamespaceScoped,
			preserveUnknown: crd.Spec.PreserveUnknownFields,
			served:          v.Served,
		}
		if sub, err := apihelpers.GetSubresourcesForVersion(crd, v.Name); err == nil && sub != nil && sub.Status != nil {
			sv.hasStatus = true
		}
		val, err := apihelpers.GetSchemaForVersion(crd, v.Name)
		if err != nil {
			return nil, err
		}
		var internalProps *apiextensionsinternal.JSONSchemaProps
		if val != nil {
			internal := &apiextensionsinternal.CustomResourceValidation{}
			if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(val, internal, nil); err != nil {
				return nil, err
			}
			internalProps = internal.OpenAPIV3Schema
			s, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
			if err != nil && !crd.Spec.PreserveUnknownFields {
				return nil, fmt.Errorf("not a structural schema: %v", err)
			}
			if !crd.Spec.PreserveUnknownFields {
				s = s.DeepCopy()
				if err := structuraldefaulting.PruneDefaults(s); err != nil {
					return nil, err
				}
			}
			sv.structural = s
		}
		sv.validator, _, err = apiservervalidation.NewSchemaValidator(internalProps)
		if err != nil {
			return nil, err
		}
		sv.celValidator = cel.NewValidator(sv.structural, true, celconfig.PerCallLimit)
		out = append(out, sv)
	}
	return out, nil
}

func (f *crdFolder) validate(obj map[string]any, text []byte, namespace string) verdict {
	v := verdict{Errors: []string{}, Pruned: []string{}, Defaulted: []string{}}
	apiVersion, _, _ := unstructured.NestedString(obj, "apiVersion")
	kind, _, _ := unstructured.NestedString(obj, "kind")
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		v.Reason = err.Error()
		return v
	}
	versions := f.byGK[schema.GroupKind{Group: gv.Group, Kind: kind}]
	sv := versions[gv.Version]
	if sv == nil || !sv.served {
		if versions == nil {
			v.Reason = fmt.Sprintf("no CRD in the folder serves kind %q of group %q", kind, gv.Group)
		} else {
			v.Reason = fmt.Sprintf("the CRD of kind %q of group %q does not serve version %q", kind, gv.Group, gv.Version)
		}
		if gvk := gv.WithKind(kind); versions == nil && scheme.Scheme.Recognizes(gvk) {
			decodeBuiltIn(text, &v)
		} else {
			v.Reason += "; not validated by this op"
		}
		return v
	}
	v.Served = true
	u := &unstructured.Unstructured{Object: obj}

	// 1. decoding: unstructuredSchemaCoercer.apply (returnUnknownFieldPaths as the strict decoder sets it)
	objectMeta, foundObjectMeta, metaUnknown, err := schemaobjectmeta.GetObjectMetaWithOptions(u.Object, schemaobjectmeta.ObjectMetaOptions{
		ReturnUnknownFieldPaths: true,
	})
	if err != nil {
		v.Errors = append(v.Errors, err.Error())
		return v
	}
	v.Pruned = append(v.Pruned, metaUnknown...)
	if !sv.preserveUnknown {
		v.Pruned = append(v.Pruned, structuralpruning.PruneWithOptions(u.Object, sv.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})...)
		structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u.Object, sv.structural)
	}
	ferr, paths := schemaobjectmeta.CoerceWithOptions(nil, u.Object, sv.structural, false, schemaobjectmeta.CoerceOptions{ReturnUnknownFieldPaths: true})
	if ferr != nil {
		v.Errors = append(v.Errors, ferr.Error())
		return v
	}
	v.Pruned = append(v.Pruned, paths...)
	u.SetKind(kind)
	u.SetAPIVersion(apiVersion)
	if foundObjectMeta {
		if err := schemaobjectmeta.SetObjectMeta(u.Object, objectMeta); err != nil {
			v.Errors = append(v.Errors, err.Error())
			return v
		}
	}

	// 2. defaulting: unstructuredDefaulter
	before := deepCopyJSON(u.Object)
	structuraldefaulting.Default(u.Object, sv.structural)
	v.Defaulted = addedPaths("", before, u.Object, []string{})

	// 3. create: rest.BeforeCreate fills the request's namespace; strategy.PrepareForCreate
	if sv.namespaced && u.GetNamespace() == "" {
		u.SetNamespace(namespace)
	}
	if sv.hasStatus {
		delete(u.Object, "status")
	}
	u.SetGeneration(1)

	// 4. validation: customResourceStrategy.Validate
	errs := validateCreate(sv, u)
	for _, e := range errs {
		v.Errors = append(v.Errors, e.Error())
	}
	v.Object = u.Object
	return v
}

func validateCreate(sv *servedVersion, u *unstructured.Unstructured) field.ErrorList {
	var errs field.ErrorList
	// customResourceValidator.ValidateTypeMeta
	if u.GetKind() != sv.gvk.Kind {
		errs = append(errs, field.Invalid(field.NewPath("kind"), u.GetKind(), fmt.Sprintf("must be %v", sv.gvk.Kind)))
	}
	if want := sv.gvk.Group + "/" + sv.gvk.Version; u.GetAPIVersion() != want {
		errs = append(errs, field.Invalid(field.NewPath("apiVersion"), u.GetAPIVersion(), fmt.Sprintf("must be %v", want)))
	}
	if len(errs) > 0 {
		return errs
	}
	errs = append(errs, metavalidation.ValidateObjectMetaAccessor(u, sv.namespaced, metavalidation.NameIsDNSSubdomain, field.NewPath("metadata"))...)
	errs = append(errs, apiservervalidation.ValidateCustomResource(nil, u.UnstructuredContent(), sv.validator)...)
	errs = append(errs, schemaobjectmeta.Validate(nil, u.Object, sv.structural, false)...)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, sv.structural, u.Object)...)
	if sv.celValidator != nil {
		if blocked := blockingError(errs); blocked != nil {
			errs = append(errs, blocked)
		} else {
			celErrs, _ := sv.celValidator.Validate(context.Background(), nil, sv.structural, u.Object, nil, celconfig.RuntimeCELCostBudget)
			errs = append(errs, celErrs...)
		}
	}
	return errs
}

// blockingError: strategy.go hasBlockingErr, which is unexported there.
func blockingError(errs field.ErrorList) *field.Error {
	for _, err := range errs {
		switch err.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
			return field.Invalid(nil, nil, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")
		}
	}
	return nil
}

func deepCopyJSON(m map[string]any) map[string]any {
	return runtimeDeepCopy(m).(map[string]any)
}

func runtimeDeepCopy(x any) any {
	switch t := x.(type) {
	case map[string]any:
		c := make(map[string]any, len(t))
		for k, v := range t {
			c[k] = runtimeDeepCopy(v)
		}
		return c
	case []any:
		c := make([]any, len(t))
		for i, v := range t {
			c[i] = runtimeDeepCopy(v)
		}
		return c
	default:
		return x
	}
}

// addedPaths lists the paths present in after and absent (or different in kind) in before.
func addedPaths(prefix string, before, after any, out []string) []string {
	switch a := after.(type) {
	case map[string]any:
		b, _ := before.(map[string]any)
		keys := make([]string, 0, len(a))
		for k := range a {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			bv, had := b[k]
			if !had {
				out = append(out, p)
				continue
			}
			out = addedPaths(p, bv, a[k], out)
		}
	case []any:
		b, _ := before.([]any)
		for i, av := range a {
			p := fmt.Sprintf("%s[%d]", prefix, i)
			if i >= len(b) {
				out = append(out, p)
				continue
			}
			out = addedPaths(p, b[i], av, out)
		}
	default:
		if !reflect.DeepEqual(before, after) {
			out = append(out, prefix)
		}
	}
	return out
}

var strictBuiltIn = kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme.Scheme, scheme.Scheme, kjson.SerializerOptions{Strict: true})

// decodeBuiltIn decodes the object's JSON text, as it was given, strictly into its k8s.io/api type:
// unknown fields are listed as pruned (a non-strict decode drops them), duplicate fields and the
// other strict errors and decode errors as errors.
func decodeBuiltIn(data []byte, v *verdict) {
	v.BuiltIn = true
	v.Reason += "; decoded strictly into its k8s.io/api v0.36.1 type (its own validation is not run)"
	var err error
	_, _, err = strictBuiltIn.Decode(data, nil, nil)
	if err == nil {
		return
	}
	if strict, ok := runtime.AsStrictDecodingError(err); ok {
		for _, e := range strict.Errors() {
			text := e.Error()
			if rest, found := strings.CutPrefix(text, `unknown field "`); found {
				v.Pruned = append(v.Pruned, strings.TrimSuffix(rest, `"`))
			} else {
				v.Errors = append(v.Errors, text)
			}
		}
		sort.Strings(v.Pruned)
		return
	}
	v.Errors = append(v.Errors, err.Error())
}
