#!/usr/bin/env escript
%% An escript whose main fails: escript prints "escript: exception error: ..." with the
%% operator, the call and the "in call from" lines, after an ordinary line.
main(_) ->
    io:format("computing averages for 0 samples~n"),
    io:format("~p~n", [average(lists:sum([]), length([]))]).
average(Sum, N) -> Sum / N.
