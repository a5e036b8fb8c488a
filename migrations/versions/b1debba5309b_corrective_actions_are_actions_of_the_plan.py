"""corrective actions are actions of the plan

A performance clinic's corrective action (free-text who, what and by when on an off-target
month) becomes an action of the plan that points at the month it answers
(action.indicator_value_id), owned by a person of the council. Every corrective_action row is
carried over, with an audit event that keeps the row as it was; then the table is dropped.

Revision ID: b1debba5309b
Revises: 0d17a76a5550
Create Date: 2026-11-24 09:00:00.000000

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1debba5309b'
down_revision = '0d17a76a5550'
branch_labels = None
depends_on = None

FK_NAME = 'fk_action_indicator_value_id_indicator_value'
INDEX_NAME = 'ix_action_indicator_value_id'
WHAT_LENGTH = 500  # action.what

# The judgement areas of each framework at this revision, in order (a migration must not read
# code that may change after it). A carried-over action is filed as the app files a new one
# (evidence/action_plan/actions.py, corrective_area): under the first of the indicator's areas
# that the council's framework has, else under the framework's first area.
FRAMEWORK_AREAS = {
    'ilacs-2026': ['leaders', 'help_protection', 'in_care', 'care_leavers'],
    'ilacs-2023': ['leaders', 'help_protection', 'in_care', 'care_leavers', 'overall'],
    'ilacs-2018': ['leaders', 'help_protection', 'in_care_and_leavers', 'overall'],
    'sif-2013': [
        'help_protection', 'looked_after', 'looked_after.adoption', 'looked_after.care_leavers',
        'leadership', 'overall', 'lscb',
    ],
}

council = sa.table('council', sa.column('id', sa.Integer), sa.column('framework_id', sa.String))
user = sa.table(
    'user',
    sa.column('id', sa.Integer),
    sa.column('council_id', sa.Integer),
    sa.column('name', sa.String),
    sa.column('email', sa.String),
    sa.column('role', sa.String),
    sa.column('active', sa.Boolean),
)
indicator = sa.table('indicator', sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('areas', sa.JSON))
indicator_value = sa.table('indicator_value', sa.column('id', sa.Integer), sa.column('indicator_id', sa.Integer))
corrective_action = sa.table(
    'corrective_action',
    sa.column('id', sa.Integer),
    sa.column('council_id', sa.Integer),
    sa.column('indicator_value_id', sa.Integer),
    sa.column('who', sa.String),
    sa.column('what', sa.Text),
    sa.column('by_when', sa.Date),
    sa.column('recorded_at', sa.DateTime),
    sa.column('recorded_by', sa.String),
)
action = sa.table(
    'action',
    sa.column('id', sa.Integer),
    sa.column('council_id', sa.Integer),
    sa.column('what', sa.String),
    sa.column('owner_id', sa.Integer),
    sa.column('due_date', sa.Date),
    sa.column('success_measure', sa.String),
    sa.column('status', sa.String),
    sa.column('area_id', sa.String),
    sa.column('evidence_ids', sa.JSON),
    sa.column('indicator_value_id', sa.Integer),
    sa.column('created_at', sa.DateTime),
)
action_note = sa.table(
    'action_note',
    sa.column('id', sa.Integer),
    sa.column('action_id', sa.Integer),
    sa.column('author_id', sa.Integer),
    sa.column('written_at', sa.DateTime),
    sa.column('text', sa.Text),
    sa.column('council_id', sa.Integer),
)
audit_event = sa.table(
    'audit_event',
    sa.column('council_id', sa.Integer),
    sa.column('occurred_at', sa.DateTime),
    sa.column('actor_name', sa.String),
    sa.column('action', sa.String),
    sa.column('record_type', sa.String),
    sa.column('record_id', sa.String),
    sa.column('before', sa.JSON),
    sa.column('after', sa.JSON),
    sa.column('detail', sa.String),
)


def upgrade():
    with op.batch_alter_table('action', schema=None) as batch_op:  # env.py keeps the notes
        batch_op.add_column(sa.Column('indicator_value_id', sa.Integer(), nullable=True))
        batch_op.create_index(INDEX_NAME, ['indicator_value_id'], unique=False)
        batch_op.create_foreign_key(FK_NAME, 'indicator_value', ['indicator_value_id'], ['id'], ondelete='SET NULL')
    _carry_over_corrective_actions()
    op.drop_index('ix_corrective_action_indicator_value_id', table_name='corrective_action')
    op.drop_index('ix_corrective_action_council_id', table_name='corrective_action')
    op.drop_table('corrective_action')


def _carry_over_corrective_actions() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(corrective_action, indicator.c.name.label('indicator_name'), indicator.c.areas, council.c.framework_id)
        .select_from(
            corrective_action.join(indicator_value, indicator_value.c.id == corrective_action.c.indicator_value_id)
            .join(indicator, indicator.c.id == indicator_value.c.indicator_id)
            .join(council, council.c.id == corrective_action.c.council_id)
        )
        .order_by(corrective_action.c.id)
    ).all()
    people: dict[int, list] = {}
    for person in bind.execute(sa.select(user).order_by(user.c.id)):
        people.setdefault(person.council_id, []).append(person)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for row in rows:
        owner, named = _owner(people.get(row.council_id, []), row.who, row.recorded_by, row.id)
        what = _what(row.what.strip(), None if named else row.who.strip())
        values = {
            'council_id': row.council_id,
            'what': what,
            'owner_id': owner.id,
            'due_date': row.by_when,
            'success_measure': f'{row.indicator_name}: back on target',
            'status': 'not_started',
            'area_id': _area(row.framework_id, row.areas or []),
            'evidence_ids': [],
            'indicator_value_id': row.indicator_value_id,
            'created_at': row.recorded_at,
        }
        action_id = bind.execute(action.insert().values(values).returning(action.c.id)).scalar_one()
        bind.execute(
            audit_event.insert().values(
                council_id=row.council_id,
                occurred_at=now,
                actor_name='system',
                action='action.carried_over',
                record_type='action',
                record_id=str(action_id),
                before={
                    'corrective_action_id': row.id,
                    'indicator_value_id': row.indicator_value_id,
                    'who': row.who,
                    'what': row.what,
                    'by_when': row.by_when.isoformat(),
                    'recorded_at': row.recorded_at.isoformat(),
                    'recorded_by': row.recorded_by,
                },
                after={
                    'what': what,
                    'owner_id': owner.id,
                    'due_date': row.by_when.isoformat(),
                    'success_measure': values['success_measure'],
                    'status': 'not_started',
                    'area_id': values['area_id'],
                    'indicator_value_id': row.indicator_value_id,
                },
                detail=f'Corrective action {row.id} carried over into the action plan',
            )
        )


def _owner(people: list, who: str, recorded_by: str, corrective_id: int):
    """The person who owns a carried-over action, and whether they are the one named at the clinic:
    the council's person named in `who`; else the one who recorded it; else its first active
    senior leader; else anyone of the council. Active people before inactive ones."""
    people = sorted(people, key=lambda person: (not person.active, person.id))
    who, recorded_by = who.strip().lower(), (recorded_by or '').strip().lower()
    named = next((person for person in people if person.name.strip().lower() == who), None)
    if named is not None:
        return named, True
    for fits in (
        lambda person: person.email.lower() == recorded_by,
        lambda person: person.active and person.role == 'senior_leader',
        lambda person: True,
    ):
        found = next((person for person in people if fits(person)), None)
        if found is not None:
            return found, False
    raise RuntimeError(f'corrective action {corrective_id}: its council has no people to own it')


def _what(what: str, who: str | None) -> str:
    """What will be done, with the free-text owner named at the clinic if no person of that name
    owns it; cut to fit the column (the whole of it stays in the audit event)."""
    suffix = f' (named at the clinic: {who})' if who else ''
    if len(what) + len(suffix) <= WHAT_LENGTH:
        return what + suffix
    return what[: WHAT_LENGTH - len(suffix) - 1] + '…' + suffix  # `who` is at most 120 characters


def _area(framework_id: str, areas: list) -> str:
    framework_areas = FRAMEWORK_AREAS.get(framework_id)
    if framework_areas is None:  # a framework unknown here: the indicator's own first area
        return areas[0] if areas else 'leaders'
    return next((area for area in areas if area in framework_areas), framework_areas[0])


def downgrade():
    """The corrective actions go back to their own table: who is the owner's name, recorded by
    the owner's email, and their status, progress notes, success measure and evidence of
    completion are lost (the old table had no place for them)."""
    bind = op.get_bind()
    op.create_table('corrective_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_value_id', sa.Integer(), nullable=False),
    sa.Column('who', sa.String(length=120), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('by_when', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=254), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['council.id'], name=op.f('fk_corrective_action_council_id_council'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['indicator_value_id'], ['indicator_value.id'], name=op.f('fk_corrective_action_indicator_value_id_indicator_value'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corrective_action'))
    )
    op.create_index('ix_corrective_action_council_id', 'corrective_action', ['council_id'], unique=False)
    op.create_index('ix_corrective_action_indicator_value_id', 'corrective_action', ['indicator_value_id'], unique=False)

    corrective = action.c.indicator_value_id.is_not(None)
    rows = bind.execute(
        sa.select(action, user.c.name.label('owner_name'), user.c.email.label('owner_email'))
        .select_from(action.join(user, user.c.id == action.c.owner_id))
        .where(corrective)
        .order_by(action.c.id)
    ).all()
    for row in rows:
        bind.execute(
            corrective_action.insert().values(
                council_id=row.council_id,
                indicator_value_id=row.indicator_value_id,
                who=row.owner_name[:120],
                what=row.what,
                by_when=row.due_date,
                recorded_at=row.created_at,
                recorded_by=row.owner_email,
            )
        )
    bind.execute(action_note.delete().where(action_note.c.action_id.in_(sa.select(action.c.id).where(corrective))))
    bind.execute(action.delete().where(corrective))

    with op.batch_alter_table('action', schema=None) as batch_op:  # env.py keeps the notes
        batch_op.drop_constraint(FK_NAME, type_='foreignkey')
        batch_op.drop_index(INDEX_NAME)
        batch_op.drop_column('indicator_value_id')
