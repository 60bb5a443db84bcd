# An uncaught Tcl error: tclsh prints the message and errorInfo's "while executing" and
# "invoked from within" lines, after an ordinary line.
puts "[clock format [clock seconds] -format {%Y-%m-%dT%H:%M:%SZ} -gmt 1] INFO reading ports"
flush stdout
proc parse_port {text} {
    if {![string is integer -strict $text]} {
        error "bad port \"$text\""
    }
    return $text
}
proc load_ports {} {
    parse_port "80a"
}
load_ports
