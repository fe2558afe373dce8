// Package iac reads Amazon S3 bucket CORS configurations where they are
// written: AWS CloudFormation templates (YAML with the short intrinsic
// tags, and JSON, "cdk synth" output included), Terraform and OpenTofu
// configurations (a .tf or .tofu file or a module directory), Terraform
// plans ("terraform show -json"), Serverless Framework services
// (serverless.yml, whose resources are CloudFormation), Kubernetes
// manifests of the controllers that set a bucket's CORS from a cluster
// (ACK, Crossplane) and Pulumi YAML programs. It returns each bucket's
// rules as S3 would receive them, with where every value is written, and
// [Judge] gives S3's verdict and lint's findings at those places.
//
// Only the command imports this package: it brings an HCL and a YAML
// parser, which users of the library packages (corsrule, bucket,
// xmlconfig) must never download.
//
// # What is read
//
// CloudFormation: every AWS::S3::Bucket with Properties.CorsConfiguration.
// CorsRules, with CloudFormation's member names (Id, AllowedOrigins,
// AllowedMethods, AllowedHeaders, ExposedHeaders, MaxAge, which S3 calls
// ID, ..., ExposeHeader, MaxAgeSeconds). Ref, Fn::Sub, Fn::Join,
// Fn::Select, Fn::Split, Fn::If, Fn::FindInMap (with the DefaultValue of
// AWS::LanguageExtensions), Fn::Base64 and the
// condition functions are evaluated from the template alone: a parameter
// with a Default is judged with it (a note says so; a CommaDelimitedList is
// split and its members space-trimmed, as CloudFormation documents), a
// condition that the defaults decide picks its branch, AWS::NoValue removes
// what it stands for. A condition named and not declared in Conditions (by
// an Fn::If of a CorsConfiguration, taken or not, a bucket's Condition,
// or a condition evaluated), and conditions that refer to one another in
// a cycle, refuse the template with a [*ParseError], as
// CloudFormation refuses to create or update a stack with it ("Template
// error: unresolved condition dependency X in Fn::If"), unless a macro may
// change the conditions first: a Transform
// other than AWS::Serverless-2016-10-31 and AWS::LanguageExtensions, or
// an AWS::Include in Conditions; nor is a name that an Fn::ForEach loop
// of Conditions may declare. A Ref, an Fn::Sub's ${Name} or an
// Fn::GetAtt that names what the template does not declare refuses it
// too, in what is read (a CorsConfiguration, in branches a condition
// leaves out too, a nested stack's Parameters, a condition evaluated):
// neither a parameter, a resource, a pseudo parameter nor the identifier
// of an Fn::ForEach loop around it; a resource for Fn::GetAtt and
// ${Resource.Attribute}; a parameter in Conditions ("Template format
// error: Unresolved resource dependencies [X] in the Resources block of
// the template"). Not where something may declare it first: a Transform
// other than AWS::LanguageExtensions (SAM declares resources that
// templates name), an AWS::Include in Parameters, Resources or
// Conditions, an Fn::ForEach loop of Resources whose logical IDs may make
// the name. Outputs and the other resources are neither read nor checked.
// A template that declares no resource is refused ("Template format
// error: At least one Resources member must be defined."), as is one
// with a parameter whose Default, or the value a parent stack passes it,
// breaks one of its constraints ("Parameter 'X' must be one of
// AllowedValues", "... must match pattern P", "... must contain at least
// N characters", "... must be a number not less than N", or "Parameter X
// failed to satisfy constraint: D" for its ConstraintDescription D),
// referred to or not (an AllowedPattern Go's regexp lacks or reads
// otherwise than Java is not checked, and a note says so), and one where
// an Fn::Select is evaluated with an index past the end of a list it
// knows ("Template
// error: Fn::Select cannot select nonexistent value at index 2") or an
// Fn::FindInMap with keys that name no value of Mappings and no
// DefaultValue ("Template error: Unable to get mapping for M::K::V"),
// unless a macro may add to Mappings first.
// A string that holds a dynamic reference
// ({{resolve:ssm:...}}, ssm-secure, secretsmanager) is not known: it
// stands for a value CloudFormation reads at deploy time. The resources
// of an Fn::ForEach loop
// (AWS::LanguageExtensions) in Resources are read for each value of its
// collection, with the identifier's value in place of ${Identifier} and
// &{Identifier} in their logical IDs and properties (in a Ref's name, in
// an Fn::Sub's string) and of Ref Identifier, the text so made 1 MiB at
// most; a collection that is not known leaves them unread, with a
// note. A parameter is its value in [Options.Parameters], or its Default.
// Pseudo parameters, Fn::GetAtt, Fn::ImportValue and parameters without
// either or read from SSM are not known: the values they give are
// reported as not judged, with where and why. A nested stack
// (AWS::CloudFormation::Stack, or SAM's AWS::Serverless::Application) is
// read when its template is a local file: a relative TemplateURL (SAM's
// Location), as "aws cloudformation package" and SAM take
// before uploading, or the aws:asset:path CDK writes beside the template in
// cdk.out, or without it the file of the asset manifest beside the
// template (NAME.assets.json) that cdk deploy uploads to the object
// TemplateURL names; the parameters the parent passes are its values. A template at
// an https:// or s3:// URL is not fetched: a note says so.
//
// Terraform: aws_s3_bucket_cors_configuration's cors_rule blocks, and the
// inline cors_rule blocks of aws_s3_bucket (provider 3 and earlier),
// dynamic "cors_rule" blocks included, in the module read and in the
// modules it calls. An aws_s3_bucket whose dynamic blocks make no
// cors_rule has no configuration (a note says so): the provider puts none
// then. A local module (source "./..." or "../...") is read from its
// directory, relative to the caller's. Any other (the registry, git,
// https, s3) is read where terraform init installed it, as Terraform reads
// it: .terraform/modules/modules.json in the root module's directory
// records each module's directory by its path of call names ("site",
// "site.child", whatever the count or for_each); a note names the source
// and version installed. Without the manifest, or without the module in
// it, or with a manifest that is not well-formed (or larger than 4 MiB),
// the module is not read and a note says to run terraform init. A registry
// address that differs from the one installed is not read either, as
// Terraform refuses to plan until terraform init is run again; other
// sources are not compared, their normal form being go-getter's. A module
// is read as OpenTofu reads it, which reads what Terraform reads and .tofu
// files besides, as .tf files: foo.tf is not read when foo.tofu is there,
// nor foo.tf.json when foo.tofu.json is, as OpenTofu gives the .tofu file
// precedence (a note says so). Terraform does not read .tofu files, so a
// module with them is written for OpenTofu, and one without is read alike
// by both. A file with a top-level block or attribute of Terragrunt's
// (include, remote_state, dependency, dependencies, generate, inputs,
// ...) or a terraform block with a source argument, all of which
// Terraform refuses, is Terragrunt's configuration, and is refused with a
// [*KindError] that says what to give instead ([TerragruntAdvice]).
// The blocks of override files (override.tf, *_override.tf, and
// the same with .tofu) are merged into those they override, after the
// other files, as Terraform merges them: an argument replaces the
// argument, nested blocks replace every block of their type. A variable,
// local value, module call or resource of those read that an override file
// writes without one of the other files to override is refused with a
// [*ParseError] in Terraform's words ("Missing resource to override",
// ...): Terraform refuses the configuration. Files in Terraform's JSON
// syntax (.tf.json, which cdktf writes, and .tofu.json) are read as
// Terraform reads them, override files among them, with the .tf files of
// their module: a block type's property holds an object of labels or an
// array of them, a body is an object or an array of objects (cors_rule,
// dynamic and its content included), "//" properties are comments, strings
// are templates ("${var.x}" alone is the value of var.x), a variable's
// type is a string that holds a type expression and its default a literal
// value. What is read is evaluated as the same HCL would be, with the same
// findings and notes, at the JSON values (at the reference within a
// "${...}"); a file standard input gives is in the JSON syntax when it
// starts with "{". Expressions are evaluated with positions: literals,
// interpolations, var.x (a module call's argument, the root's
// terraform.tfvars, terraform.tfvars.json, *.auto.tfvars and
// *.auto.tfvars.json in Terraform's order, then [Options.VarFiles] and
// [Options.Vars] as -var-file and -var give them, or the default;
// converted to the variable's type, optional(T, default) attributes and
// sets included; a value that makes the condition of one of the
// variable's validation blocks false is not known, as terraform plan
// refuses it, "Invalid value for variable"), local.x, each.key and each.value of for_each,
// count.index, a dynamic block's iterator, conditionals (whose result
// takes the type both branches convert to, as HCL converts it: false ? "a"
// : 1 is "1"; a number or boolean whose other branch is of a type not
// known is not known), ==, != (of scalars, and with null), && and ||
// (which short-circuit, as since Terraform 1.12), and <, <=, >, >= of
// numbers, for expressions, the functions that pick, rearrange or convert
// values, as cty converts them (tolist, toset, tomap, lookup, concat,
// merge, coalesce, coalescelist, compact, distinct, flatten, sort,
// setunion, keys, values, reverse, element, slice, contains, try), and
// length, can, jsondecode, yamldecode and split of a known string (the
// values they give are located at the string, those of jsondecode and
// yamldecode of a file's whole text where they are written in the file;
// yamldecode reads plain scalars as go-cty-yaml does, yes a boolean and
// 010 the number 10, and leaves tags, merge keys, keys that are not
// strings, timestamps and a second document not known), tostring and
// tonumber, lower,
// upper, trimspace, trimprefix, trimsuffix, startswith, endswith, join,
// replace (of a string or a regular expression), regex, regexall, and
// format and formatlist (with widths and precisions up to 65536 in all),
// as Terraform evaluates them (its regular expressions are Go's), f(x...)
// included;
// file, of a file inside the root module's directory (relative paths start
// there, as where terraform plan runs) or the calling module's, and
// path.module and path.root, relative to it: a file outside them, by its
// path or through a symbolic link, is not read, so that judging a
// repository never reads or prints a file of the machine it runs on;
// terraform.workspace, the workspace .terraform/environment in the root
// module's directory selects, or "default" (TF_WORKSPACE, which the
// environment of the machine sets, is not read: [Options.Workspace]
// stands in for it). A
// null keeps its type (tostring(null), tolist(null), a variable of a type
// constraint left null), which coalesce, coalescelist, merge, lookup's
// default, the conversion functions and conditionals check as Terraform
// does: coalescelist(var.origins, ["*"]) passes over a null list(string)
// and refuses a null of no type. Other
// functions, resource attributes, module outputs and data sources are not
// known. A resource's or a module's for_each that is neither a map nor a
// set of strings (a list of strings among them), or its count that is not
// a whole number, zero or more, is refused, as Terraform refuses it: each
// bucket it makes carries the refusal. The first 1,000 instances of a
// count or for_each are judged one by one, the others as one, ADDRESS[*],
// with count.index or each not known, and a note says so; the rules of a
// dynamic block past its first 1,000 blocks are not judged.
//
// try and can tell failing from not known, as Terraform does. try's value
// is that of its first argument that does not fail, and can is whether its
// argument does not fail; a failure passed over is only one Terraform
// definitely reports: an attribute or a key the value does not have, an
// index outside a list, an argument of a type the function refuses, JSON
// that is not well-formed. Outside try and can, such a failure in a rule's
// value is Terraform's refusal of the configuration, as terraform plan
// stops on it, not a value left unjudged: a wrong-type [TemplateError] at
// the value ("Terraform fails to evaluate lookup(cors_rule.value, "id"):
// the object has no key "id""). An argument that is not known, even in
// part, makes try and can not known, whether Terraform knows it only after
// apply or this package does not evaluate it (a function not listed here,
// a variable without a value): the value might be there, so no argument
// is guessed. coalesce with an argument not known is not known, and length
// of a list that holds values not known is not known (a set of them may
// hold fewer).
//
// S3 keeps one CORS configuration per bucket: a resource that sets the CORS
// of a bucket whose CORS a resource read before it sets too (the same
// aws_s3_bucket named by its id or its bucket attribute, or the same known
// name; in a plan, the same name) gets a note, as each apply puts one
// resource's rules in place of the other's. A reference to an
// aws_s3_bucket (with neither count nor for_each) also names the bucket
// its bucket argument gives, when that is known.
//
// Plans: resource_changes[].change.after, with after_unknown marking what
// is known only after apply, in every module; without resource_changes (a
// state's JSON), planned_values or values. Actions that only delete are
// skipped. The cors_rule of an aws_s3_bucket whose bucket an
// aws_s3_bucket_cors_configuration sets is skipped too, with a note: since
// provider 4 it is computed, the rules the provider read from the bucket,
// not rules it sends; unless the plan's configuration section writes it,
// when both resources send rules and a note says so. Positions are those
// of the JSON values. The bucket argument of an
// aws_s3_bucket_cors_configuration (Bucket.TerraformBucket) is read from
// the plan's configuration section, in each module call's module, where
// Terraform records an expression as its constant_value, or by its
// references alone: a lone reference is taken as written unless the plan's
// values tell otherwise, and what the plan does not spell out (a template,
// an index by each.key, a state without configuration) is the bucket's
// name it resolves, with Bucket.TerraformBucketNote.
//
// Serverless Framework services: the CloudFormation of resources, read as
// a template is, once the Framework's steps are done (its YAML read as
// the Framework reads it, with js-yaml 4, not as YAML 1.1: MaxAge 010 is
// 10, and 1:00:00 a string): the buckets of s3
// events (not existing: true) compiled first, as the Framework names them
// (S3Bucket and the event's bucket's letters and digits: - s3:
// photo-uploads is S3BucketPhotouploads), with the members of
// provider.s3's entry of that name as properties, first letters upper case
// (corsConfiguration is CorsConfiguration, name its BucketName, unless
// empty or null), one bucket of each name, the entry the last event names
// giving it its properties and logical ID; then a list of mappings and of
// ${file(PATH)} variables (the file relative to the service file's
// directory, ":address" picking a part of it) merged in order as lodash's
// merge does, key by key and index by index; resources.extensions'
// Properties assigned over those of the resources declared there; null
// properties taken out. The Framework's variables are resolved before
// CloudFormation reads the template, in every string: ${self:ADDRESS} is
// the value at that dotted address of the service file, which a string
// that is the variable alone takes whole (a list, located where it is
// written) and a longer string as text; a fallback (${self:a, 'x'},
// ${self:a, self:b}, null) serves when the address names nothing or a
// null; variables in an address are resolved first
// (${self:custom.origins.${sls:stage}}). As a template is judged with its
// parameters' defaults, the service is judged as deployed without options:
// an option or an environment variable followed by a fallback
// (${opt:stage, 'dev'}, ${env:ORIGIN, '...'}) takes the fallback,
// ${sls:stage} is provider.stage, or "dev" ([Options.Stage] when given, as
// ${opt:stage} then is), and ${param:NAME} is its value in
// [Options.Params], or else the first of stages.STAGE.params.NAME,
// params.STAGE.NAME, stages.default.params.NAME (Framework v4 reads
// stages) and params.default.NAME that is set, or else its fallback; a
// note of the bucket says so, at the variable. ${file(PATH)} and
// ${file(PATH):ADDRESS} in a value read a file inside the service file's
// directory, YAML or JSON by its name (other names: its text), as the
// Framework's file source does, its values located in it; a file outside
// that directory, which the Framework refuses ("Cannot load file from
// outside of service folder"), or through a symbolic link leading out, is
// neither read nor judged, so that judging a pull request never prints a
// value of a file of the machine, and a script (.js) is not judged. Any
// other source (ssm, cf, s3, an option without a fallback, a parameter the
// file does not set) is known only when the Framework packages the
// service: a value that holds one is not known. ${...} without a source
// (${AWS::Region}, ${MyBucket.Arn}) is CloudFormation's. A provider.s3
// entry with CORS that no s3 event names makes no bucket, which a note
// says. The Framework's deployment bucket (ServerlessDeploymentBucket) has
// no CORS unless resources.extensions gives it some, which is then judged;
// an extension that gives CORS to a resource nothing declares gets a note,
// as the Framework refuses it.
//
// Kubernetes manifests: a YAML stream of documents (or one JSON object),
// each a resource, a List's items included ("kubectl get -o yaml"), as
// kubectl apply -f reads them (YAML 1.1 as sigs.k8s.io/yaml reads it: an
// unquoted y, yes, on, n, no or off is a boolean, 017 is 15, 1:00 a
// string); a document that is not a mapping, or has no apiVersion or kind,
// refuses the file, as kubectl refuses it. Three resources set a bucket's
// CORS: the Bucket of the AWS Controllers for Kubernetes (apiVersion
// s3.services.k8s.aws/v1alpha1), whose spec.cors. corsRules the controller
// sends to S3 as written (a cors without corsRules deletes the
// configuration: no bucket is read), and the BucketCorsConfiguration of
// Crossplane's AWS provider (s3.aws.upbound.io, or s3.aws.m.upbound.io
// when namespaced), whose spec.forProvider.corsRule (or
// spec.initProvider.corsRule, with a note, as a note says how upjet merges
// the two when both are written; none when spec. managementPolicies lets
// it neither create nor update) it hands to the Terraform AWS provider's
// aws_s3_bucket_cors_configuration, changed on the way as Terraform's
// (below), after the API server has refused a value listed twice in a
// rule's list (the custom resource declares the lists sets,
// x-kubernetes-list-type: set); and the Bucket of Crossplane's older AWS
// provider (crossplane-contrib/provider-aws, s3.aws.crossplane.io), whose
// spec.forProvider.corsConfiguration.corsRules (required there, an empty
// list putting none) its controller sends as written, with no id. All
// three name the members as S3's API does, in lower camel case
// (allowedOrigins, ..., exposeHeaders, maxAgeSeconds, id). The API server
// checks values against the custom resource's schema and converts none: a
// number where a string belongs is refused, as is a field the schema does
// not declare (kubectl apply validates strictly by default). A resource is
// named kind/name, after its namespace when it has one
// (media/Bucket/uploads). A field the schema requires beside the rules
// (ACK's spec.name, the older provider's spec.forProvider.
// locationConstraint, the upjet provider's spec.forProvider.region) is
// required as the API server requires it. Each kind is served in one
// version (ACK's v1alpha1, the upjet provider's v1beta1, the older
// provider's v1beta1): another, or the group without one, is refused at
// apiVersion, as kubectl apply refuses it ("no matches for kind"). Other
// resources are passed over. A Helm chart's template is not YAML until
// Helm renders it: judge what helm template prints.
//
// Pulumi YAML programs: a project file (Pulumi.yaml, or Pulumi.json)
// whose runtime is yaml, or the Main.yaml (Main.json) of a project
// whose main names a directory, which has none (DetectFile tells it by
// its name), one YAML document read as Pulumi YAML reads it with
// gopkg.in/yaml.v3 (YAML 1.2's booleans, so an unquoted yes is a
// string; go-yaml's integers, so 017 is 15). A file without resources,
// or whose runtime is another language's, is no program. Three kinds of
// resource set a bucket's CORS, named by their type token in its short
// form (aws:s3:BucketCorsConfiguration) or in full
// (aws:s3/bucketCorsConfiguration:BucketCorsConfiguration), and are read
// unless get reads an existing one: aws:s3:BucketCorsConfiguration of
// @pulumi/aws 7, and aws:s3:BucketCorsConfigurationV2, its name in 6
// (deprecated in 7), whose properties bucket and corsRules (one rule at
// least, 100 at most) are required; the inline corsRules of
// aws:s3:Bucket and aws:s3:BucketV2 (deprecated, a note says so; none,
// or an empty list, puts no configuration); and aws-native:s3:Bucket's
// corsConfiguration.corsRules. The first two are the Terraform AWS
// provider's resources under Pulumi's bridge,
// aws_s3_bucket_cors_configuration and aws_s3_bucket's inline cors_rule,
// and their rules are changed on the way as Terraform's are (below), with
// the members of S3's API in lower camel case (allowedOrigins, ...,
// exposeHeaders, maxAgeSeconds, and id in the first only). aws-native's are
// CloudFormation's members in lower camel case (allowedOrigins, ...,
// exposedHeaders, maxAge, id), which the Cloud Control API checks
// against AWS::S3::Bucket's resource schema as CloudFormation does. As
// Pulumi YAML's type checker does, a number or a boolean where a string
// belongs is converted to a string, and a string for maxAgeSeconds (or
// maxAge), an integer, is refused; a property that names the rules
// otherwise (corsRule, cors), a member a rule does not have, and a
// required property or member left out are refused. Values are literals,
// judged, or Pulumi YAML expressions, evaluated as pulumi-yaml 1.25.0
// evaluates them as far as they are known before the program runs: a
// string with ${...} interpolations, where $$ is a $, each a property
// access (ROOT, then .name, ["key"] or [index], parsed as Pulumi YAML
// parses it, a } in a quoted key included), and a built-in function (a
// mapping of one fn:: key, its name in any case). The root of an access
// is looked up as Pulumi looks it up: a resource (its outputs are not
// known), a config value (config, or its older name configuration, with
// or without the project's namespace), a variable. A config value with a
// literal default, or value (or written as the value itself, the
// project-level short form "origin: https://app.example.com"), is judged
// with it, located where the default is written, with a note, as a
// stack that does not set it would run it. With Options.Stack, a config
// value takes the value the stack's configuration sets, read as the
// Pulumi CLI reads Pulumi.STACK.yaml beside the program (or in its
// stackConfigDir; a / of the stack's name a -): a bare key and
// PROJECT:key (or PROJECT:config:key) are the project's config values,
// another namespace's key is itself (${aws:region}), a secure value is
// not known; a stack without its file is an error, as is a key of more
// colons. A variable is its expression,
// evaluated once for each bucket, without a note; one that refers to
// itself is not known. An interpolation in a longer string writes a
// string, a number (a float64, with fmt's %v: 1000000 is "1e+06") or a
// boolean as Pulumi does, a key the mapping lacks as "<nil>"; a list or
// a mapping there is not judged. fn::join, fn::split ([delimiter,
// source]), fn::select ([index, list]), fn::toJSON (Go's encoding/json)
// and fn::secret (its value) are evaluated when their arguments are
// known; any other function (fn::invoke, fn::readFile, an asset) is not
// judged, nor is what a resource's output or a config value without a
// default makes. What Pulumi YAML refuses or fails to evaluate (an
// index outside the list, an access of a list by name, fn::join of a
// number, an interpolation without its closing }) is an error with
// Pulumi's message, as pulumi preview fails on it.
//
// # Judged as S3 judges what the tool sends
//
// The rules are those the tool sends in PutBucketCors, and they are judged
// by package bucket's validation and package lint's checks, exactly as
// s3cors validate and lint judge the same rules in XML; the size limit
// applies to the XML the SDKs send. On the way, the AWS provider for
// Terraform changes rules, and so do the rules here (from its source,
// expandCORSRules): aws_s3_bucket_cors_configuration holds cors_rule and
// its lists as sets, so empty strings are dropped and values listed twice
// are sent once; an unset max_age_seconds is sent as MaxAgeSeconds 0; a
// max_age_seconds beyond 32 bits is truncated to 32 bits (Crossplane's
// BucketCorsConfiguration likewise, and ACK's controller, which converts
// maxAgeSeconds with int32(v) too). Notes say each time. The provider
// sends a set's rules in an order of its own (by hash), which is not
// reproduced: findings about rule order assume the written order (in a
// plan, the plan's), and a note says so. In CloudFormation an empty list
// sends no element, and a MaxAge beyond 32 bits is S3's MalformedXML (its
// schema's xs:int); CloudFormation itself validates the properties against
// its resource schema for AWS::S3::Bucket first, which refuses a value
// listed twice in a rule's list, a rule listed twice in CorsRules, a
// MaxAge below 0, an Id longer than 255 characters and a method other than
// GET, PUT, HEAD, POST and DELETE.
//
// Mistakes the tool itself refuses before S3 sees the configuration (a
// member it does not know, such as ExposeHeaders in CloudFormation, a rule
// without the AllowedMethods or AllowedOrigins both require, an
// aws_s3_bucket_cors_configuration without a cors_rule or with more than
// the 100 its schema allows, a list where a string belongs, a MaxAge that
// is not a whole number) are
// [TemplateError]s, with the tool's name for the member as a hint.
//
// Values that could not be judged are left out of the rules, and the
// verdict keeps only what stays true whatever they turn out to be (see
// [Judge]).
//
// # Parsers, and why
//
// YAML is read with go.yaml.in/yaml/v3, the YAML organisation's maintained
// continuation of gopkg.in/yaml.v3 (same code and API; gopkg.in/yaml.v3 is
// no longer maintained), which Pulumi YAML reads programs with. Its Node
// API keeps each node's line, column and tag (!Ref, !GetAtt, ...) and
// keeps aliases as aliases, so a "billion laughs" costs what its text
// costs. Aliases and merge keys (<<) are
// resolved as the AWS CLI's "cloudformation package" and SAM resolve
// them before CloudFormation, which takes neither, sees the template. A
// key written twice in one mapping of a template, YAML or JSON, is
// refused, as cfn-lint refuses it ("Duplicate found"): no tool reads the
// first value, and which one a deployment takes depends on the tool (the
// AWS CLI's cloudformation package and deploy keep the last). So is a
// YAML stream of more than one document. A template's plain scalars are
// read as YAML 1.1 reads them, as CloudFormation does: 010 is 8, and
// yes, On or FALSE is a boolean, which CloudFormation passes on as
// "true" or "false" (Default: yes is the value "true").
// github.com/goccy/go-yaml was tried on
// the same inputs and refused: 100,000 nested "[" took it 39 s and 14.7 GB
// of allocations (yaml.v3: 8 ms, a depth error), and a 1 MB template 1.1 s
// and 1.1 GB (yaml.v3: 0.1 s and 36 MB). JSON is read by this package's
// own parser, which keeps offsets and skips what it does not need, so that
// a large plan costs memory only for its S3 resources (yaml.v3 also
// refuses JSON's \/ escape). HCL is read with github.com/hashicorp/hcl/v2.
//
// # Bounds
//
// A template is read up to [MaxTemplateSize] (CloudFormation's own limit
// is 1 MB), a plan up to [MaxPlanSize], all the Terraform files of one
// input together up to [MaxHCLSize]; past it reading stops with a
// [*ParseError]. JSON and YAML nest at most 512 levels. HCL's parser
// recurses without bound (100,000 nested brackets overflow Go's stack and
// end the process), so each file is scanned first and refused past 1,000
// levels of nesting or 10,000 conditionals or unary operators in a row.
// Resolving values (aliases, references, functions, expressions, each
// instance of a count or for_each and each block of a dynamic block, and
// each block an override file merges, as many as it copies) takes at most
// 262,144 steps per input, merge keys (<<) copy at most as many entries,
// and a string built by a function takes at most 1 MiB. A string costs a
// step more for each 256 bytes of it resolved, read or copied (an alias
// of a long string, each use of a long local value), so that at most 64
// MiB are handled per input, and a regular expression's search a step
// for each 1,024 of its length times the searched string's; the strings
// built for one input (Fn::Join, Fn::Sub, templates, functions) come to
// at most 32 MiB together. Past a bound reading stops with a
// [*ParseError] that names it. Nested stacks are followed 8 deep and
// modules 16 deep, never into a stack or a module that contains them
// (with a note); once the templates of the nested stacks read for one
// input come to 32 MiB together, each counted as often as it is read,
// reading stops with a [*ParseError]; the files a service's ${file(...)}
// variables name count toward the same bound, past which they are not
// read, with a note. ${self:...} references are followed 16 deep.
package iac
