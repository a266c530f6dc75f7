# labs/lab.bashrc — the rc file of `labs/lab.sh sh HOST`: your own ~/.bashrc, then a prompt that
# names the lab host ([lab:h1], or [alice:h1] with LAB_PREFIX=alice) and the lab's tools on PATH.
# shellcheck disable=SC1090
[ -f ~/.bashrc ] && . ~/.bashrc
case ":$PATH:" in
*":$BIN:"*) ;;
*) PATH=$LABBIN:$BIN:$PATH ;;
esac
PS1="[${LAB_PREFIX}:${LAB_HOST}] \\w\\$ "
