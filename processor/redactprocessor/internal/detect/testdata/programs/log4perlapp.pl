# round7 (held out in the sixth round): a Perl service logging through Log::Log4perl (Debian's
# liblog-log4perl-perl) with a PatternLayout, data structures by Data::Dumper with Indent 0
# and commands by join, as Perl services log.
use strict;
use warnings;
use JSON::PP;
use Data::Dumper;
use Log::Log4perl qw(:easy);
$Data::Dumper::Indent = 0;
$Data::Dumper::Terse = 1;
$Data::Dumper::Sortkeys = 1;
Log::Log4perl->easy_init({ level => $DEBUG, layout => '%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] %m%n', file => 'STDOUT' });
my $log = get_logger('Billing::Worker');

sub argv {
    my ($f) = @_;
    my ($u, $p, $h) = @$f{qw(user password host)};
    return {
        'sqlplus-slash' => ['sqlplus', '-s', "$u/$p\@$h:1521/ORCL", '@report.sql'],
        'influx-password' => ['influx', '-host', $h, '-username', $u, '-password', $p, '-execute', 'SHOW DATABASES'],
        'mosquitto_pub-P' => ['mosquitto_pub', '-h', $h, '-u', $u, '-P', $p, '-t', 'sensors/1', '-m', 'ping'],
        'mount-cifs-o' => ['mount', '-t', 'cifs', "//$h/share", '/mnt/share', '-o', "username=$u,password=$p"],
    }->{$f->{tool}};
}

sub signed_url {
    my ($f) = @_;
    return "https://$f->{account}.blob.core.windows.net/exports/data.csv?sv=2024-08-04&se=$f->{se}&sr=b&sp=r&sig=$f->{sig}" if $f->{kind} eq 'azure';
    return "https://$f->{account}.s3.amazonaws.com/exports/data.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=$f->{akid}%2F20261203%2Fus-east-2%2Fs3%2Faws4_request&X-Amz-Date=$f->{date}&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=$f->{sig}" if $f->{kind} eq 'aws';
    return "https://storage.googleapis.com/$f->{account}/exports/data.csv?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=$f->{date}&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=$f->{sig}";
}

open my $in, '<', $ARGV[0] or die $!;
my $cases = decode_json(do { local $/; <$in> });
for my $c (@$cases) {
    my ($cat, $i, $f) = @$c{qw(cat i f)};
    my $odd = $i % 2;
    if ($cat eq 'cli_password') {
        $odd ? $log->debug('exec: ' . Dumper(argv($f))) : $log->info('running ' . join(' ', @{ argv($f) }));
    } elsif ($cat eq 'signed_url') {
        $log->info(($odd ? 'export link ' : 'redirect to ') . signed_url($f));
    } elsif ($cat eq 'webhook_secret') {
        $odd ? $log->warn('signature mismatch: ' . Dumper({ provider => $f->{provider}, secret => $f->{secret}, event => $f->{event_id} }))
             : $log->warn("webhook $f->{event_id} rejected, secret $f->{secret}");
    } elsif ($cat eq 'session_token') {
        my %creds = (AccessKeyId => $f->{akid}, SecretAccessKey => $f->{secret}, SessionToken => $f->{token}, Expiration => $f->{expiration});
        $log->debug($odd ? 'assumed role ' . Dumper(\%creds) : 'sts ' . encode_json({ Credentials => \%creds }));
    } elsif ($cat eq 'saas_token') {
        $odd ? $log->info('client configured ' . Dumper({ provider => $f->{provider}, token => $f->{token} }))
             : $log->info("$f->{provider} client using $f->{token}");
    } elsif ($cat eq 'header_map') {
        my %h = (Accept => 'application/json', $f->{header} => $f->{key}, 'X-Request-Id' => $f->{request_id}, 'If-None-Match' => $f->{etag});
        $log->debug(($odd ? 'request headers ' : 'outgoing ') . Dumper(\%h));
    } elsif ($cat eq 'card19') {
        $log->info("charging card $f->{card} for order $f->{order_id} at $f->{ts_ns}");
    } elsif ($cat eq 'oauth_response') {
        my %r = (access_token => $f->{access}, token_type => 'Bearer', expires_in => $f->{expires_in}, scope => $f->{scope});
        $log->debug($odd ? 'token ' . Dumper(\%r) : 'token response ' . encode_json(\%r));
    } elsif ($cat eq 'secret_ref') {
        $log->info("mounting secretName=$f->{name} namespace=$f->{namespace}");
    } elsif ($cat eq 'classic') {
        $log->info('login ' . Dumper({ user => 'admin', password => $f->{password} }));
        $log->debug("upstream auth: Authorization: Bearer $f->{bearer}, X-GitHub-Token: $f->{github}");
    } else {
        $log->info("deployed commit=$f->{git_sha} image=sha256:$f->{sha256} trace_id=$f->{trace_id} pod=$f->{pod} payload=$f->{data} port=$f->{port}");
    }
}
