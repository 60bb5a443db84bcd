// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func defaultEngine(t testing.TB) *Engine {
	e, err := New(append(append([]string{}, SecretDetectors...), DefaultPIIDetectors...), nil, nil)
	require.NoError(t, err)
	return e
}

func found(e *Engine, s string) []string {
	var out []string
	for _, sp := range e.Find(s, nil) {
		out = append(out, sp.Type+"="+s[sp.Start:sp.End])
	}
	return out
}

func TestDetectsSecretsInTheirUsualForms(t *testing.T) {
	e := defaultEngine(t)
	tests := map[string][]string{
		"aws key AKIAIOSFODNN7EXAMPLE used":                                                                                  {"aws_access_key_id=AKIAIOSFODNN7EXAMPLE"},
		`{"aws_secret_access_key":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}`:                                               {"aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		"git clone https://x:ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5@github.com/o/r":                                        {"url_password=ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"},
		"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U": {"authorization=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"},
		"db password=hunter2 host=db":                                                                                        {"password=hunter2"},
		"psql --password s3cr3t! -h db":                                                                                      {"password=s3cr3t!"},
		"postgres://app:Tr0ub4dor@db:5432/orders":                                                                            {"url_password=Tr0ub4dor"},
		"DefaultEndpointsProtocol=https;AccountName=x;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==;":                          {"azure_account_key=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA=="},
		"Cookie: theme=dark; sessionid=8f14e45fceea167a5a36dedd4bea2543":                                                     {"session_cookie=8f14e45fceea167a5a36dedd4bea2543"},
		"card 4111 1111 1111 1111 charged":                                                                                   {"credit_card=4111 1111 1111 1111"},
		"ssn 078-05-1120 on file":                                                                                            {"us_ssn=078-05-1120"},
		"key: -----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY----- done":                                 {"private_key=-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----"},
	}
	for line, want := range tests {
		assert.Equal(t, want, found(e, line), line)
	}
}

// What people type: passphrases with spaces, and DSN passwords pasted without
// percent-encoding. The whole password goes; what follows it stays readable.
func TestPassphrasesAndUnencodedURLPasswords(t *testing.T) {
	e := defaultEngine(t)
	tests := map[string][]string{
		"login password=purple monkey dishwasher result=fail":  {"password=purple monkey dishwasher"},
		"psql --password purple monkey dishwasher -h db":       {"password=purple monkey dishwasher"},
		"psql --password purple monkey dishwasher --host db":   {"password=purple monkey dishwasher"},
		"passphrase: correct horse battery staple":             {"password=correct horse battery staple"},
		`{"password":"purple monkey dishwasher","user":"app"}`: {"password=purple monkey dishwasher"},
		"password='purple monkey' user=app":                    {"password=purple monkey"},
		"postgres://app:purple monkey dishwasher@db:5432/x":    {"url_password=purple monkey dishwasher"},
		"cache at redis://:p4!@ss#w0rd@cache:6379/0 ok":        {"url_password=p4!@ss#w0rd"},
		"mongodb+srv://u:50%@off@cluster0.example.net/db":      {"url_password=50%@off"},
		`{"dsn":"amqp://guest:x#y@z!@rabbit/"}`:                {"url_password=x#y@z!"},
		"passwd==leading-equals host=db":                       {"password==leading-equals"},
	}
	for line, want := range tests {
		assert.Equal(t, want, found(e, line), line)
	}
	for _, line := range []string{
		"see http://mirror:8080 or mail ops@example.org",
		"redirect to https://example.com:8443/a@b",
		"http://localhost:9090?next=a@b",
		"ssh://git@github.com:22/org/repo",
	} {
		assert.Empty(t, found(e, line), line)
	}
}

func TestLeavesLookAlikesAlone(t *testing.T) {
	e := defaultEngine(t)
	for _, line := range []string{
		"trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7",
		"request 3f2b8c1e-9d4a-4c2b-8e1f-7a6b5c4d3e2f done",
		"commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
		"image sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"ts=1764064800123 order=4111111111111112 took 12ms",
		"password reset requested for alice",
		"token expired, please log in",
		"tokens=42 passes=3",
		"basic authentication failed",
		"http://localhost:8080/health",
		"the task-runner-service-account is ready",
		"version 10.2.3.4.5 build 2026-11-25T10:00:00Z",
		"ls -a ;", // a flag with no value: panicked once
		"args [-p ] '-u' ''",
	} {
		assert.Empty(t, found(e, line), line)
	}
}

// The categories of #26, one line each, in the forms captured from real runtimes.
func TestDetectsCredentialsOfCommandsURLsWebhooksAndServices(t *testing.T) {
	e := defaultEngine(t)
	tests := map[string][]string{
		"+ curl -sS -u 'ci:NfK#ldUCJ8%n%X' https://10.0.3.17/export":                        {"cli_password=NfK#ldUCJ8%n%X"},
		"running mysql -h db -u admin -pAUyy8PDdpFacpudtK -e 'SELECT 1'":                    {"cli_password=AUyy8PDdpFacpudtK"},
		"args=['docker', 'login', '-u', 'deploy', '-p', 'falcon7687+']":                     {"cli_password=falcon7687+"},
		"ProcessBuilder command [sshpass, -p, -KqP4miJ*FYbjBg, ssh, -p, 2222]":              {"cli_password=-KqP4miJ*FYbjBg"},
		"exec: smbclient //db/finance -U deploy\\%orange6782\\*":                            {"cli_password=orange6782\\*"},
		"keytool -list -keystore /etc/app/truststore.jks -storepass Kestrel7516.":           {"cli_password=Kestrel7516."},
		"args=\"[openssl pkcs12 -in client.p12 -nokeys -passin pass:SFOc36b4j6wMtL]\"":      {"cli_password=SFOc36b4j6wMtL"},
		"Guzzle request headers: Array ( [Private-Token] => GK9gyFyuo0bLuKJufXCJWPfrM2lJ )": {"secret=GK9gyFyuo0bLuKJufXCJWPfrM2lJ"},
		`"headers":{"X-Figma-Token":["b5d58e678b47b8b522fbe025415cdc6b"]}`:                  {"secret=b5d58e678b47b8b522fbe025415cdc6b"},
		"https://a.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sig=xQ8CDQkXpmRg3RyRfm5NKNlj3qeFEJ3f%3D&se=2026-12-08": {
			"url_signature=xQ8CDQkXpmRg3RyRfm5NKNlj3qeFEJ3f%3D"},
		"?X-Amz-Date=20261203T101010Z&X-Amz-Signature=4f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9": {
			"url_signature=4f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"},
		"signature mismatch using secret whsec_2AcUvydMCFDyMij0TKG3BT9cRLdvDHK4": {"webhook_secret=whsec_2AcUvydMCFDyMij0TKG3BT9cRLdvDHK4"},
		"signed with key 2da19f843fb27bdebaed985389eb29ac1ddc4f4b":               {"secret=2da19f843fb27bdebaed985389eb29ac1ddc4f4b"},
		`{'AccessKeyId': 'ASIAXPIMCFAMZB7C5VYO', 'SessionToken': 'IQoJb3JpZ2luX2VjeZvM4mitL+u9Qyhyb'}`: {
			"aws_access_key_id=ASIAXPIMCFAMZB7C5VYO", "secret=IQoJb3JpZ2luX2VjeZvM4mitL+u9Qyhyb"},
		"config loaded: {'credential': 'xapp-1-AYT4JMB0FTI-8963953170063-cefc181d9ab40704a18679345877be57'}": {
			"slack-app-token=xapp-1-AYT4JMB0FTI-8963953170063-cefc181d9ab40704a18679345877be57"},
		"databricks configured (dapi010fc36730877e00ef5decad3902a21c)":                      {"databricks-api-token=dapi010fc36730877e00ef5decad3902a21c"},
		"heroku client ready (HRKU-AAs9dK2mQ7xZp4LwT8vB3nR6yF1cJ5hG0eU)":                    {"prefixed_token=HRKU-AAs9dK2mQ7xZp4LwT8vB3nR6yF1cJ5hG0eU"},
		"{Accept=[application/json], Ocp-Apim-Subscription-Key=[ns6nxulrgk0ozhnyhnsw1i9n]}": {"secret=ns6nxulrgk0ozhnyhnsw1i9n"},
		"charged card=6759377578826656709 ok":                                               {"credit_card=6759377578826656709"},
		"card 4924 3832 8285 2006 723 refunded":                                             {"credit_card=4924 3832 8285 2006 723"},
		"running lftp -u deploy,nQ+b*G*ivmJjyVsnZ^6 sftp://ldap.corp.example":               {"cli_password=nQ+b*G*ivmJjyVsnZ^6"},
		`args: ["-b", "/etc/nginx/.htpasswd", "root", "ShwzfI8scY60EH0NYNsM2mB"]`:           {"cli_password=ShwzfI8scY60EH0NYNsM2mB"},
		`spawning "rabbitmqctl" "add_user" "svc-backup" "Mango5607%"`:                       {"cli_password=Mango5607%"},
		"exec: mysqladmin -u root -h db password Summer1878.":                               {"cli_password=Summer1878."},
		"mailgun client uses key-22d65d7e20466ca623bea40b4e7efdae":                          {"mailgun-private-api-token=key-22d65d7e20466ca623bea40b4e7efdae"},
		`ClientConfig { provider: "telegram", api_key: "4047666030:AAuiBoOoN15j4jZ852qALFZPERKypUmoX3N" }`: {
			"secret=4047666030:AAuiBoOoN15j4jZ852qALFZPERKypUmoX3N"},
		"new relic configured (NRAK-L6KIEH24YE9D29ZXWDZPVUMTWB2)":                    {"prefixed_token=NRAK-L6KIEH24YE9D29ZXWDZPVUMTWB2"},
		"using doppler credential dp.st.3piccqpwyb0lfvl2sou4qmyi12vfzrvh9rfum1qpshh": {"prefixed_token=dp.st.3piccqpwyb0lfvl2sou4qmyi12vfzrvh9rfum1qpshh"},
		"  'C6SVE2Y*Ej_*IwVG00%6.i4N',":                                              {"cli_password=C6SVE2Y*Ej_*IwVG00%6.i4N"},
		"outgoing headers: map[Accept:[application/json] X-Honeycomb-Team:[tFRP1YPLH7s3BpJ5vhKn1HYqWJZr6m6q]]": {
			"secret=tFRP1YPLH7s3BpJ5vhKn1HYqWJZr6m6q"},
		`msg="mistral client configured with EWYOiUFS8Cwix9nakf0WBIEylEaiOfzt"`:                  {"high_entropy=EWYOiUFS8Cwix9nakf0WBIEylEaiOfzt"},
		`"argv":["svn","checkout","--username","ci","--password","dragon4585.","https://h/svn"]`: {"cli_password=dragon4585."},
		"  'winter8556!', 'chassis',":                                                       {"cli_password=winter8556!"},
		"running sqlplus -s ci/dragon1494_@cache-0.cache:1521/ORCL @report.sql":             {"cli_password=dragon1494_"},
		"vercel client using 3oyYGR6JFYZ1IpBcfPWrwaz5":                                      {"high_entropy=3oyYGR6JFYZ1IpBcfPWrwaz5"},
		"child: curl -sS --oauth2-bearer 'D2zgQnWclGUonyFJVy8gzUZ' https://h/api":           {"cli_password=D2zgQnWclGUonyFJVy8gzUZ"},
		"exec: vault write auth/approle/login --client-secret=Kestrel7465*":                 {"cli_password=Kestrel7465*"},
		"running: env SSHPASS=Cx2d8BZga5^kdw4hXK+B sshpass -e ssh deploy@ldap.corp.example": {"cli_password=Cx2d8BZga5^kdw4hXK+B"},
		"running: openssl enc -aes-256-cbc -in dump.sql -out dump.sql.enc -k 'falcon5319#'": {"cli_password=falcon5319#"},
		`webhook evt_xBv4SC9DqD1UOrF2sV24sBD8: bad signature, secret "9d60ecc3476d86a8e729627d6f3deceb91a2a95a"`: {
			"secret=9d60ecc3476d86a8e729627d6f3deceb91a2a95a"},
		`headers map[string][]string{"Accept":[]string{"application/json"}, "X-Plex-Token":[]string{"4872106c5dcb491ce4a5c340225dc699c11a9c40"}}`: {
			"secret=4872106c5dcb491ce4a5c340225dc699c11a9c40"},
		"figma: figd_sdA9eb_O-svnVpdRo_xTUQoefMQUbky_HspBHYXM": {"prefixed_token=figd_sdA9eb_O-svnVpdRo_xTUQoefMQUbky_HspBHYXM"},
		`req_headers: [{"accept", "application/json"}, {"x-n8n-api-key", "CXQe5Nc1pKTUjiUGKhKWwIeyEU5o6dOh"}]`: {
			"secret=CXQe5Nc1pKTUjiUGKhKWwIeyEU5o6dOh"},
		"[('Accept', 'text/html'), ('Mattermost-Token', 'SRzp7rb7xxJgU3c81JEJp2a6glYvOwpM')]": {"secret=SRzp7rb7xxJgU3c81JEJp2a6glYvOwpM"},
		"IntegrationSettings(vendor=cohere, credential=qpctR8UkblMLsX2tpaAKz1rKZ5s59O9DWnQFiHyN, enabled=true)": {
			"secret=qpctR8UkblMLsX2tpaAKz1rKZ5s59O9DWnQFiHyN"},
		"spawning xfreerdp /v:10.0.3.17 /u:deploy /p:BLVkxp9S#u_5K /cert:ignore":     {"cli_password=BLVkxp9S#u_5K"},
		`  <<"SecretAccessKey">> => <<"PWf3HGp3LqT/ts1fB6t7Fu0JGvQUjhFa7DAv8cz9">>,`: {"aws_secret_access_key=PWf3HGp3LqT/ts1fB6t7Fu0JGvQUjhFa7DAv8cz9"},
		` {signing_secret,<<"92ca65ac2d0c7abc137d11789d3ca2c042b1e179">>}]`:          {"secret=92ca65ac2d0c7abc137d11789d3ca2c042b1e179"},
		` {<<"X-Mashape-Key">>,<<"mnvwSVC4oc1ORD45AuVshpxK7abQao1g">>},`:             {"secret=mnvwSVC4oc1ORD45AuVshpxK7abQao1g"},
		`{"SessionToken":"IQoJb3JpZ2luX2Vjm\/Keyl` + strings.Repeat(`Cfv5dkT\/jQ4fqYJzP9Mk`, 6) + `"}`: {
			`secret=IQoJb3JpZ2luX2Vjm\/Keyl` + strings.Repeat(`Cfv5dkT\/jQ4fqYJzP9Mk`, 6)},
		`      <<"IQoJb3JpZ2luX2Vj8v/Afil8` + strings.Repeat("CVRSBwGz99aWdAm5S6Uv", 6) + `">>,`: {
			"aws_session_token=IQoJb3JpZ2luX2Vj8v/Afil8" + strings.Repeat("CVRSBwGz99aWdAm5S6Uv", 6)},
		"curl -sS --proxy http://proxy.corp:3128 --proxy-user svc-backup:orange6368_ https://h/health": {"cli_password=orange6368_"},
		`  string(40) "5UTvsYr+1UZNcFbakSIJckN1yZJqvbTTPnBIpfzJ"`:                                      {"high_entropy=5UTvsYr+1UZNcFbakSIJckN1yZJqvbTTPnBIpfzJ"},
		"running rclone copy /srv/exports :ftp:exports --ftp-host db --ftp-user ci --ftp-pass JQvWh3XDHOKOjWvM2HOz": {
			"cli_password=JQvWh3XDHOKOjWvM2HOz"},
		"discord client uses MTAknmZREuiwhrTBLarAP9HaOY.wm0qq5.VM4eMrK3bB7dDOJlFCnbLRXY7Fmc46ocWU_m-d": {
			"prefixed_token=MTAknmZREuiwhrTBLarAP9HaOY.wm0qq5.VM4eMrK3bB7dDOJlFCnbLRXY7Fmc46ocWU_m-d"},
	}
	for line, want := range tests {
		assert.Equal(t, want, found(e, line), line)
	}
}

// False positives seen on real logs: a key=value after token_type=Bearer, a Secret's name,
// ports and commands that look like flags with values, prefixed ids and digests.
func TestLeavesReferencesIdsAndFlagsAlone(t *testing.T) {
	e := defaultEngine(t)
	for _, line := range []string{
		"token response: token_type=Bearer expires_in=3599 scope=read:orders",
		"got token token_type=Bearer expires_in=7199",
		"mounting volume from secretName=app-credentials-2s2mz namespace=prod",
		`{"secretName":"web-token-m7hp2","namespace":"prod"}`,
		"docker run -p 8080:80 -e DATA=dXNlcjoxMjM0OnByb2ZpbGU= web",
		"ssh -p 2222 deploy@host && ls -a /srv && git commit -a -m fix",
		"event evt_YMn3YDsqfdFYm3moii00nUjd user_2Nv3dnI5p3XoGFtq6Yr1sCbQKzM",
		"order order_01ARZ3NDEKTSV4RRFFQ69G5FAV request req_4bf92f3577b34da6a3ce929d0e0e4736",
		"pod web-deployment-7f9c8d6b5-x2k4q integrity sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K",
		"idempotency-key: 3f2b8c1e-9d4a-4c2b-8e1f-7a6b5c4d3e2f",
		"openssl rsa -in key.pem -passin env:KEY_PASS && openssl rsa -passin file:/run/secrets/p",
		"the proxy can bypass caching; --pass-through mode on",
		"uploaded object key exports/2026-12-03/report-7f3a9c.csv; S3 key uploads/user-42/avatar-original.png",
		"rotating secret db-password-v2-2026-12-03 in namespace prod",
		"X-Cache-Key: /api/v1/orders/page/2/limit/50/sort/created",
		"snowflake 1865432109876543210 at 1764729676290255359",
		"exec: deploy --env prod --id 4fQxZ8kLm2NpR7tV9wYb3cHd --ref Xa7Kq2Lm9Np4Rs6Tu8Vw1Yz3",
		"running java -Xmx512m -cp app.jar com.example.OAuth2AuthorizationServerConfiguration v1.2.3-RC1",
		"command: kubectl rollout restart deploy/web --namespace prod evt_YMn3YDsqfdFYm3moii00nUjd",
		"at org.apache.logging.log4j.core.config.plugins.util.Log4j2PluginFactoryBean.create(Log4j2PluginFactoryBean.java:42)",
		"resolved api-7d9f8.prod.svc.cluster.local to 10.0.3.17 in 1.25ms; version 2026.12.03",
		"order ORD-01ARZ3NDEKTSV4RRFFQ69G5FAV ksuid 0ujtsYcgvSTl8PAuAdqWYSMnLOv placed",
		"headers: {'X-Request-Id': 'Xa7Kq2Lm9Np4Rs6Tu8Vw1Yz3', 'X-Amz-Cf-Id': 'u8Kq2Lm9Np4Rs6Tu8Vw1Yz3Xa7Kq2Lm9==', 'X-Cache-Key': 'k7Lm9Np4Rs6Tu8Vw1Yz3Xa'}",
		"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261203T102602Z&X-Goog-Algorithm=GOOG4-RSA-SHA256",
		"  'Hello World, again!',",
		"  'Kubernetes',",
		"  'status', 'chassis', '--json',",
		"request correlated with 4bf92f3577b34da6a3ce929d0e0e4736 and 3f2b8c1e-9d4a-4c2b-8e1f-7a6b5c4d3e2f",
		"signed in with user_2Nv3dnI5p3XoGFtq6Yr1sCbQKzM using sha512-oqVuAfXRKap7fdgcCY5uykM6R9GqQ8KoqVuAfXRKap7",
		"configured with the defaults, using 4 workers",
		"running go get github.com/acme/project42@v1.2.3 && docker pull library/nginx2024@sha256:4f3a",
		"exec: git push origin release/2026-12@10.0.3.17",
		"running app --token-file /run/secrets/token --secret-name app-tls-2s2mz --api-token $API_TOKEN",
		"running gh --token-ttl 3600 --max-token 512",
		"env BYPASS=enabled COMPASS=north-west RSYNC_PASSWORD_FILE=/run/p SSHPASS=$SSHPASS sshpass -e",
		"running: convert -format '%wx%h' -quality 85 in.png",
		`rotating secret "db-password-v2-2026-12-03" in prod; secret "the one we use" kept`,
		"handler k8s_NodePool_USEast1b_ProdV2_Workers_Gpu_Xl4 and Get_User_Profile_By_Id_V2_Handler_For_Quick_Jobs",
		`point {"x-request-id", "d5052ed8-b839-6d62-536f-aec1d2608d20"}, ("token", 3), [credential, "short"]`,
		"copied /srv/p:1 and /etc/ssl/key-pass.pem; --no-pass-prompt; /p:$RDP_PASSWORD",
		"headers X-Content-Sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 X-B3-TraceId: 4bf92f3577b34da6a3ce929d0e0e4736",
		"curl --proxy-user alice https://h && git --no-user-config",
		`  string(36) "d5052ed8-b839-6d62-536f-aec1d2608d20"`,
		`  string(40) "be51a2765472ec741c46685fa3e55f0694d881ac"`,
		`  string(45) "Exporting the quarterly Report for Q4 2026 now"`,
		`  string(28) "Summer2842_Summer2842_Summer"`,
		"panic: runtime error: index out of range [0] with length 0\n\ngoroutine 1 [running]:\nmain.process(0x1c6d86026e38)\n" +
			"\t/srv/app/main.go:46\nmain.main()\n\t/srv/app/main.go:46 +0x13f\nexit status 2",
		"exec: deploy --ref Xa7Kq2Lm9Np4\n+0x13f\nmain.main()",
	} {
		assert.Empty(t, found(e, line), line)
	}
}

// The crashes real runtimes printed (the receiver's crash fixtures, captured by
// receiver/durablefilereceiver/internal/crash/testdata/programs/capture.sh) hold no secret:
// nothing is redacted in them, taken whole as a crash record's body is (a Go trace's
// "[running]:" and "+0x13f", Java's "ExecutionException" and "java.lang.Unsupported..." were,
// in the first run of this test).
func TestRealCrashTracesAreNotRedacted(t *testing.T) {
	e := defaultEngine(t)
	files, err := filepath.Glob("../../../../receiver/durablefilereceiver/internal/crash/testdata/fixtures/*.log")
	require.NoError(t, err)
	require.Greater(t, len(files), 100)
	for _, f := range files {
		body, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, sp := range e.Find(string(body), nil) {
			t.Errorf("%s: %s %q", filepath.Base(f), sp.Type, body[sp.Start:sp.End])
		}
	}
}

func TestCleanLineDoesNotAllocate(t *testing.T) {
	e := defaultEngine(t)
	line := `2026-11-25T10:00:00.123Z level=info msg="processed order" order_id=12345 duration_ms=12 user=alice`
	allocs := testing.AllocsPerRun(100, func() { e.Find(line, nil) })
	assert.Zero(t, allocs)
}

func TestOptInPersonalData(t *testing.T) {
	e, err := New(OptInPIIDetectors, nil, nil)
	require.NoError(t, err)
	tests := map[string][]string{
		"mail alice.smith+ops@example.co.uk now":      {"email=alice.smith+ops@example.co.uk"},
		"call +44 20 7946 0958 or (415) 555-0132":     {"phone=+44 20 7946 0958", "phone=(415) 555-0132"},
		"iban GB82 WEST 1234 5698 7654 32 paid":       {"iban=GB82 WEST 1234 5698 7654 32"},
		"iban GB82WEST12345698765432":                 {"iban=GB82WEST12345698765432"},
		"client 192.168.10.254 connected":             {"ip_address=192.168.10.254"},
		"bad iban GB83WEST12345698765432, v1.2.3.4.5": nil,
		"not an ip 300.1.1.1 nor 1.2.3":               nil,
	}
	for line, want := range tests {
		assert.Equal(t, want, found(e, line), line)
	}
}

// BenchmarkFind measures a line per kind: without any detector's keyword (most log
// lines), with keywords but no secret (the gitleaks rules' regexes run), and with a secret.
func BenchmarkFind(b *testing.B) {
	e := defaultEngine(b)
	for _, c := range []struct{ name, line string }{
		{"no_keyword", `2026-11-25T10:00:00.123Z level=info msg="processed order" order_id=12345 duration_ms=12 user=alice path=/api/v1/orders trace_id=4bf92f3577b34da6a3ce929d0e0e4736`},
		{"keywords_no_secret", `2026-11-25T10:00:00.123Z level=info msg="curl to the api returned" auth=ok token=expired key=user:42 path=/api/v1/keys secret_ref=db-creds duration_ms=12`},
		{"secret", `2026-11-25T10:00:00.123Z level=warn msg="login failed" user=alice password=Summer2026! path=/api/v1/login trace_id=4bf92f3577b34da6a3ce929d0e0e4736`},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.line)))
			b.ReportAllocs()
			for b.Loop() {
				e.Find(c.line, nil)
			}
		})
	}
}
