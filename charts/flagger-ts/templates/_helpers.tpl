{{/* Name of the chart, overridable with nameOverride. */}}
{{- define "flagger-ts.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Full name of the release's objects. The release name alone when it already contains
the chart name (the usual `helm upgrade -i flagger-ts ...`), so objects are not
called flagger-ts-flagger-ts.
*/}}
{{- define "flagger-ts.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "flagger-ts.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "flagger-ts.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "flagger-ts.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flagger-ts.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "flagger-ts.labels" -}}
{{ include "flagger-ts.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "flagger-ts.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "flagger-ts.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "flagger-ts.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The notifier URLs and token are secrets; they live in a Secret when any is set. */}}
{{- define "flagger-ts.hasNotifierSecret" -}}
{{- if or .Values.slack.url .Values.slack.token .Values.msteams.url -}}true{{- end -}}
{{- end -}}
