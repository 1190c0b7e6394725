"""Verbs that open ESCO 1.2.0 skill labels ("administer medication", "sell holiday packages"): a posting phrase that
opens with one names a duty, even when it mentions pay, pensions, holidays or benefits. The first word of every label
of kind "skill" in catalog/skills.jsonl.gz, without the words that also open benefit lines (tests/test_text.py
checks the list against the catalogue)."""

from __future__ import annotations

# Words that open ESCO skill labels but also benefit lines ("Enjoy 25 days holiday", "Share
# options", "Pay: 12 pounds an hour", "Matching 401k"), or that are no verb ("digital", "safely", "staff").
NOT_DUTIES = frozenset("""
    accept be buy choose digital earn enjoy get have join match offer pay receive safely share staff start take
    work
""".split())

DUTY_VERBS = frozenset("""
    abide acclimatise accommodate accompany accurately accurise achieve acquire act adapt add address adhere
    adjust administer admit adopt advertise advice advise advocate affix age agree aid align allocate alter
    analyse anchor animate announce answer anticipate apply appraise appreciate approach approve archive arrange
    articulate ask assemble assess assign assist assume assure attach attend attract audit authenticate authorise
    automate automotive avoid bake balance ban bathe bend bind blast blend board boil bolt bond book brainstorm
    breed brief bring broadcast brush budget buff build bundle calculate calibrate call capture care carry carve
    cast caulk centre certify chair challenge change char chase check circulate clamp clarify classify clean clear
    climb clinical clip close coach coat coil collaborate collect colour combine commission communicate compare
    compile complete comply compose comprehend compute concentrate conceptualise conclude concretise condense
    condition conduct confer configure conform confront connect conserve consider construct consult contact
    contain contextualise contribute control convert convey cook cool cooperate coordinate cope core correct
    correspond counsel count couple cover covert create creatively crimp critically critique crush cue cultivate
    culture curate cure curl customise customize cut deal debug decant decide decode decontaminate decorate defend
    define degum delegate deliberate delineate deliver demagnetise demand demolish demonstrate deploy depurate
    deputise describe design detain detect determine develop devise diagnose differentiate dig digitise direct
    disaggregate disarm disassemble discern discharge discover discuss disinfect dismantle dispatch dispense
    display dispose disseminate distinguish distribute dive do dock document draft drain draw dress drill drip
    drive dry dump dye edit educate eject electroform eliminate embalm emboss embroider empathise employ empower
    empty enable encourage enforce engage engineer engrave enhance enlarge ensure enter entertain escort establish
    estimate evacuate evaluate evaluation examine excavate exchange execute exercise exert expand explain express
    extinguish extract exude fabricate facilitate familiarise fasten feed fell ferment file fill filter find
    finish fire fit fix flavour focus follow food forecast form formulate foster galvanise gather generate give
    glue grade grant greet grind groom grout grow guarantee guide hand handle handling handover hang harden
    harmonise harness harvest haul hear heat heed help hire hold host hunt ict identify identity immerse
    immobilise impart implant implement imprint improve improvise increase induce inflate influence inform
    initiate inject ink innovate insert inspect inspire install instruct integrate interact interface interfere
    interpret interrogate interrupt intervene interview introduce investigate involve iron irrigate issue jell
    judge keep knead label lacquer launch lay lead learn level liaise license lift light limit link listen load
    locate log lubricate maintain make malt manage managing maneuver manipulate manoeuvere manoeuvre manufacture
    manufacturing manure map mark market master maximise measure meet melt memorise mentor metal migrate milk mine
    minimise minimize mitigate mix model moderate modify monitor moor motivate mould mount move nail navigate
    negotiate network neutralise non normalise notate notify nurse obey observe obtain officiate operate optimise
    orchestrate ordain order organise organize outline output oversee own pack package paint pair pallets parallel
    park parkerise participate pass patch patrol pave peform perceive perforate perform personalise personnel
    persuade photograph pick pilot pin place plan plant plaster play pleat plot pluck polish pose position pour
    practice practise predict preheat prepare prescribe present preserve preset press prevent price prioritise
    process procure produce profile program programme promote prompt proofread propagate propose prospect protect
    provide prune publish pump purchase pursue push put quote rack raise reach react read rear rebuff recognise
    recognize recommend reconstruct record recruit rectify recycle redirect redistribute reduce refer refine
    refurbish register regulate rehabilitate rehearse reinforce relate relay remediate remove render renew
    repackage repair replace replicate report repossess represent reproduce rescue research reserve resolve
    respect respond restock restore restrain restrict retain review revise rewire rewrite ride rig rinse roast
    route run rust safeguard sand sanitise satisfy saturate saw scale scan schedule scoop screed screen sculpt
    seal search seat secure see seed seek segregate select sell send separate sequence serve service set settle
    setup sew shape sharpen shift shine show shunt sift sign signal simplify simulate sing sketch skin slaughter
    slice smooth smoothen snap soak solder solicit solve sort speak specialise specify splice split spot spray
    spread stabilise stack stain stamp stand stay steer sterilise stimulate stir stitch stock stop store stow
    strain stretch strip strive structure study stuff stun style submit suggest summarise supervise supply support
    survey survive suspend swim switch synchronise synthesise tabulate tackle tailor tally tape taste tattoo teach
    technically tell temper tend test thatch think thread tie tip tolerate tow trace track trade train transcribe
    transfer translate transport transpose trap treat triage trim troubleshoot tune turn tutor type types unbind
    understand undertake unload unmoor update upgrade upholster upsell use utilise vacuum validate value
    vegetation verify visit warm wash watch wax wear weigh welcome weld wind winterise wire witness wrap write
""".split())
