#!/usr/bin/perl
# Held-out set: a Perl daemon printing with printf/warn, structures by Data::Dumper (one
# line, as Indent=0 prints them), and JSON by JSON::PP, as Perl programs print them.
use strict;
use warnings;
use Data::Dumper;
use JSON::PP;
$Data::Dumper::Indent = 0;
$Data::Dumper::Sortkeys = 1;
$| = 1;

my $json = JSON::PP->new->canonical;
local $/;
open(my $in, '<', $ARGV[0]) or die $!;
my $cases = decode_json(<$in>);
open(STDERR, '>&', STDOUT);

sub stamp { my @t = gmtime(1764756000 + $_[0]); sprintf('%04d-%02d-%02d %02d:%02d:%02d', $t[5] + 1900, $t[4] + 1, @t[3, 2, 1, 0]) }

sub command {
    my $f = shift;
    my ($u, $p, $h) = @$f{qw(user password host)};
    my %c = (
        'curl-u' => ['curl', '-u', "$u:$p", "https://$h/"],
        'mysql-p' => ['mysql', '-u', $u, "-p$p"],
        'docker-login' => ['docker', 'login', '-u', $u, '-p', $p],
        'git-clone' => ['git', 'clone', "https://$u:$p\@$h/y.git"],
        'redis-cli-a' => ['redis-cli', '-a', $p],
        'sshpass-p' => ['sshpass', '-p', $p, 'ssh', $h],
        'ldapsearch-w' => ['ldapsearch', '-w', $p],
        'smbclient-U' => ['smbclient', '-U', "$u%$p"],
        'wget-http-password' => ['wget', '-q', "--http-user=$u", "--http-password=$p", "http://$h/export.csv"],
        'mongosh-p' => ['mongosh', "mongodb://$h:27017/app", '-u', $u, '-p', $p],
        'openssl-passin' => ['openssl', 'rsa', '-in', 'key.pem', '-passin', "pass:$p"],
        'keytool-storepass' => ['keytool', '-importcert', '-alias', 'ca', '-storepass', $p, '-noprompt'],
    );
    return $c{$f->{tool}};
}

sub signed_url {
    my $f = shift;
    return "https://$f->{account}.blob.core.windows.net/dumps/x.sql.gz?sp=r&sv=2022-11-02&se=$f->{se}&sig=$f->{sig}" if $f->{kind} eq 'azure';
    return "https://$f->{account}.s3.amazonaws.com/dumps/x.sql.gz?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=$f->{akid}%2F20261203%2Fus-east-2%2Fs3%2Faws4_request&X-Amz-Date=$f->{date}&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=$f->{sig}" if $f->{kind} eq 'aws';
    return "https://storage.googleapis.com/$f->{account}/dumps/x.sql.gz?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=$f->{date}&X-Goog-Expires=60&X-Goog-SignedHeaders=host&X-Goog-Signature=$f->{sig}";
}

for my $c (@$cases) {
    my ($cat, $i, $f) = @$c{qw(cat i f)};
    my $odd = $i % 2;
    my $t = stamp($i);
    if ($cat eq 'cli_password') {
        if ($odd) { printf "%s [%d] system: %s\n", $t, $$, join(' ', @{ command($f) }) }
        else { local $Data::Dumper::Terse = 1; print "$t DEBUG argv=" . Dumper(command($f)) . "\n" }
    } elsif ($cat eq 'signed_url') {
        if ($odd) { print "$t fetching " . signed_url($f) . "\n" }
        else { print $json->encode({ level => 'info', message => 'signed', url => signed_url($f), request_id => $f->{request_id} }) . "\n" }
    } elsif ($cat eq 'webhook_secret') {
        if ($odd) { warn "$t webhook $f->{event_id}: bad signature (secret=$f->{secret})\n" }
        else { print "$t " . Data::Dumper->Dump([{ provider => $f->{provider}, hmac_secret => $f->{secret}, event => $f->{event_id} }], ['webhook']) . "\n" }
    } elsif ($cat eq 'session_token') {
        my $cr = { AccessKeyId => $f->{akid}, SecretAccessKey => $f->{secret}, SessionToken => $f->{token}, Expiration => $f->{expiration} };
        if ($odd) { print "$t " . Data::Dumper->Dump([$cr], ['credentials']) . "\n" }
        else { print $json->encode({ Credentials => $cr }) . "\n" }
    } elsif ($cat eq 'saas_token') {
        if ($odd) { printf "%s using %s api token %s\n", $t, $f->{provider}, $f->{token} }
        else { print "$t " . Data::Dumper->Dump([{ service => $f->{provider}, key => $f->{token} }], ['cfg']) . "\n" }
    } elsif ($cat eq 'header_map') {
        my $h = { 'Accept' => 'application/json', $f->{header} => $f->{key}, 'X-Request-Id' => $f->{request_id}, 'If-None-Match' => $f->{etag} };
        if ($odd) { print "$t " . Data::Dumper->Dump([$h], ['headers']) . "\n" }
        else { print "$t > GET /api/v1/jobs\n" . join('', map { "$t > $_: $h->{$_}\n" } sort keys %$h) }
    } elsif ($cat eq 'card19') {
        if ($odd) { print "$t charge ok card=$f->{card} order=$f->{order_id} t=$f->{ts_ns}\n" }
        else { print $json->encode({ card => $f->{card}, order => $f->{order_id}, at_ns => $f->{ts_ns} }) . "\n" }
    } elsif ($cat eq 'oauth_response') {
        if ($odd) { print $json->encode({ access_token => $f->{access}, token_type => 'Bearer', expires_in => $f->{expires_in} + 0, scope => $f->{scope} }) . "\n" }
        else { print "$t token_type=Bearer expires_in=$f->{expires_in} access_token=$f->{access}\n" }
    } elsif ($cat eq 'secret_ref') {
        if ($odd) { print "$t mount secretName=$f->{name} ns=$f->{namespace}\n" }
        else { print $json->encode({ secretName => $f->{name}, namespace => $f->{namespace} }) . "\n" }
    } elsif ($cat eq 'classic') {
        print "$t login password=$f->{password}\n";
        print "$t " . Data::Dumper->Dump([{ Authorization => "Bearer $f->{bearer}", github => $f->{github} }], ['auth']) . "\n";
    } else {
        print "$t deploy $f->{git_sha} sha256:$f->{sha256} trace=$f->{trace_id} pod=$f->{pod} data=$f->{data} port=$f->{port}\n";
    }
}
