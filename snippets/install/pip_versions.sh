# Which versions of the frameworks are installed in the active environment?
# --8<-- [start:code]
python -m pip list --format=freeze 2>/dev/null | grep -iE "^(torch|tensorflow[-_]cpu|keras|numpy)=="
# --8<-- [end:code]
